"""find_similar: a batch's inputs in, similarity.csv and side-by-side pages out (the library entry)."""
from __future__ import annotations

import time
from dataclasses import dataclass, replace
from pathlib import Path

from graders.core.batch.atomic import write_files
from graders.core.similarity import evidence
from graders.core.similarity.index import Index, Pair, Settings
from graders.core.similarity.load import Skipped, load_profiles
from graders.core.similarity.outputs import Flagged, page_name, write_all
from graders.core.similarity.profile import Profile, starter_profile
from graders.core.spec import Spec, load_assignment
from graders.errors import GradersError
from graders.i18n import _

THRESHOLD = 0.4


@dataclass(frozen=True)
class SimilarityResult:
    """What a run found, for the CLI and the tests."""

    outdir: Path
    submissions: int
    archived: int
    scored: int
    flagged: tuple[Flagged, ...]
    rows: tuple[Flagged, ...]
    skipped: tuple[Skipped, ...]
    duration_s: float


def _evidence_text(index: Index, pair: Pair) -> str:
    steps = evidence.shared_steps(index, pair)
    if not steps:
        return _("code similarity {code}, structure similarity {ast}").format(
            code=pair.channels.get("code", 0), ast=pair.channels.get("ast", 0))
    return _("code similarity {code}, structure similarity {ast}; derivation steps in common: {steps}").format(
        code=pair.channels.get("code", 0), ast=pair.channels.get("ast", 0), steps=" | ".join(steps))


def _flagged(index: Index, pair: Pair, detail: bool) -> Flagged:
    """A row; regions, evidence and highlighted lines only for the pairs shown in detail."""
    a, b = index.profiles[pair.a], index.profiles[pair.b]
    if a.archive:
        a, b = b, a
    if not detail:
        return Flagged(a, b, pair.score, pair.channels, (), "", {}, {})
    regions = tuple(r.describe() for r in evidence.regions(index, pair))
    lines_a, lines_b = evidence.matched_lines(index, pair)
    if index.profiles[pair.a] is not a:
        regions, lines_a, lines_b = tuple(_swap(r) for r in regions), lines_b, lines_a
    return Flagged(a, b, pair.score, pair.channels, regions, _evidence_text(index, pair), lines_a, lines_b)


def _swap(region: str) -> str:
    left, _sep, right = region.partition(" ~ ")
    return f"{right} ~ {left}"


def score_profiles(profiles: list[Profile], starter: Profile, *, threshold: float = THRESHOLD,
                   all_pairs: bool = False, settings: Settings = Settings()) -> tuple[list[Flagged], list[Flagged], int]:
    """(rows for the CSV, the flagged pairs with their pages, pairs scored): pure, no I/O."""
    index = Index(profiles, starter, settings)
    pairs = index.pairs(all_pairs)
    flagged = [_flagged(index, p, True) for p in pairs if p.score >= threshold]
    flagged = [replace(f, view=f"similarity/{page_name(n, f)}") for n, f in enumerate(flagged, start=1)]
    rest = [_flagged(index, p, False) for p in pairs if p.score < threshold] if all_pairs else []
    return flagged + rest, flagged, len(pairs)


def find_similar(assignment: str | Spec, inputs: list[Path], outdir: Path, *, against: Path | None = None,
                 threshold: float = THRESHOLD, all_pairs: bool = False, layout: str = "auto") -> SimilarityResult:
    """Fingerprint every student's newest submission, score the pairs the index finds, write the outputs.

    `against`: earlier cohorts' submissions (any input `grade batch` reads), compared with this cohort only."""
    if not 0.0 <= threshold <= 1.0:
        raise GradersError(_("the threshold must be between 0 and 1, not {value}").format(value=threshold))
    start = time.monotonic()
    spec = assignment if isinstance(assignment, Spec) else load_assignment(assignment)
    profiles, skipped = load_profiles(spec, inputs, layout)
    archived, skipped_old = load_profiles(spec, [against], layout, archive=True) if against else ([], [])
    rows, flagged, scored = score_profiles(profiles + archived, starter_profile(spec.exercises_dir),
                                           threshold=threshold, all_pairs=all_pairs)
    outdir.mkdir(parents=True, exist_ok=True)
    write_files(write_all(rows, flagged, outdir))
    return SimilarityResult(outdir, len(profiles), len(archived), scored, tuple(flagged), tuple(rows),
                            tuple(skipped + skipped_old), round(time.monotonic() - start, 2))
