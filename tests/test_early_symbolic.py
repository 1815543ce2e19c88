"""The cold `grade HW` checks derivations in a forked trusted child while it imports torch
(checks/symbolic_answers.start_symbolic): the outcomes must be those grade_loaded computes itself."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

from graders.core.checks.local_derivations import local_derivation_outcomes
from graders.core.checks.symbolic_answers import start_symbolic, symbolic_outcomes
from graders.core.spec import load_assignment
from graders.core.submission import load_submission

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="fork")


@pytest.mark.parametrize("sample", ["correct", "mistake_derivation_drops_term", "mistake_derivation_invalid_step"])
def test_outcomes_from_the_forked_child_equal_those_computed_here(sample):
    folder = ROOT / "submissions" / "hw03" / sample
    early = start_symbolic("hw03", folder, None)
    spec = load_assignment("hw03")
    here = symbolic_outcomes(spec, load_submission(folder, spec))
    assert early() == here and here


def test_public_only_gives_the_local_checks():
    folder = ROOT / "submissions" / "hw03" / "correct"
    early = start_symbolic("hw03", folder, True)
    spec = load_assignment("hw03")
    assert early() == local_derivation_outcomes(spec, load_submission(folder, spec))


def test_a_child_that_fails_leaves_the_work_to_the_caller(tmp_path):
    assert start_symbolic("no_such_assignment", tmp_path, None)() is None
