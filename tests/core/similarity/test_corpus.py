"""The project's copy corpus (tests/data/similarity): every copy pair ranks above every independent pair."""
from __future__ import annotations

import itertools
import json
from pathlib import Path

import pytest
from sklearn.metrics import roc_auc_score

from graders.core.similarity.api import THRESHOLD, score_profiles
from graders.core.similarity.load import load_profiles
from graders.core.similarity.profile import starter_profile
from graders.core.spec import load_assignment

CORPUS = Path(__file__).resolve().parents[2] / "data" / "similarity"


def _student_id(entry: str) -> str:
    return entry.split("_")[1]


@pytest.fixture(scope="module")
def scored():
    """(is a copy, score) for every pair of the corpus."""
    spec = load_assignment("hw03")
    profiles, skipped = load_profiles(spec, [CORPUS / "hw03"])
    assert skipped == [] and len(profiles) == 12
    rows, _flagged, _n = score_profiles(profiles, starter_profile(spec.exercises_dir), all_pairs=True)
    manifest = json.loads((CORPUS / "manifest.json").read_text())
    copies = {frozenset(map(_student_id, pair)) for group in manifest["copy_groups"]
              for pair in itertools.combinations(group, 2)}
    return [(frozenset((r.a.key, r.b.key)) in copies, r.score) for r in rows]


def test_every_copy_pair_ranks_above_every_independent_pair(scored):
    copies = [s for is_copy, s in scored if is_copy]
    independent = [s for is_copy, s in scored if not is_copy]
    assert len(copies) == 7 and len(independent) == 59
    assert min(copies) > max(independent)
    assert roc_auc_score([c for c, _s in scored], [s for _c, s in scored]) == 1.0


def test_the_default_threshold_flags_every_copy_and_nothing_else(scored):
    flagged = [is_copy for is_copy, s in scored if s >= THRESHOLD]
    assert all(flagged) and len(flagged) == 7
