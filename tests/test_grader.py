"""Grader: one warm template graded many submissions on, started lazily and closed with the grader (issue 14)."""
from __future__ import annotations

from pathlib import Path

import graders
from graders.core.grader import Grader
from graders.core.spec import load_assignment
from graders.core.submission import load_submission


def test_one_grader_grades_several_submissions_on_one_template():
    spec = load_assignment("hw03")
    with Grader() as grader:
        reference = grader.grade(spec, spec.reference_dir, device="cpu")
        template = grader.template
        stubs = grader.grade("hw03", load_submission(spec.exercises_dir, spec), device="cpu")
        assert grader.template is template
    assert reference.status == "graded" and reference.score == reference.max_score > 0
    assert stubs.status == "graded" and stubs.score == 0


def test_bad_input_is_a_rejected_report(tmp_path: Path):
    with graders.Grader() as grader:
        report = grader.grade("hw03", tmp_path / "missing.zip", device="cpu")
    assert report.status == "rejected" and report.score == 0
