"""Honest local scores: a public-only (bundle) report never reads as full marks while points are unchecked.

Every hw03 mistake_* sample either loses points under the public checks or the
report names the part whose points are checked only at submission (issue 15).
"""
from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from graders.core.formats import render
from graders.core.grader import Grader

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = sorted(p for p in (ROOT / "submissions" / "hw03").glob("mistake_*") if (p / "expect.toml").is_file())


@pytest.fixture(scope="module")
def grader():
    with Grader() as g:
        yield g


def _tripped_parts(sample: Path) -> set[str]:
    expect = tomllib.loads((sample / "expect.toml").read_text(encoding="utf-8"))
    return {name.split("::")[0] for name in expect.get("trips", [])}


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: p.name)
def test_every_mistake_loses_points_locally_or_is_named_unchecked(grader, sample):
    report = grader.grade("hw03", sample, public_only=True, device="cpu")
    parts = report.parts()
    for part in _tripped_parts(sample):
        got, top = parts.get(part, (0.0, 0.0))
        assert got < top or part in report.unchecked, (sample.name, part, parts, report.unchecked)


def test_reference_header_says_which_points_are_unchecked(grader):
    report = grader.grade("hw03", ROOT / "reference" / "hw03", public_only=True, device="cpu")
    assert report.unchecked == {"derivation": 20.0}
    assert report.score == report.max_score == 80.0
    text = render(report, "text", "en")
    assert "score 80 / 80 checked locally · 20 points (derivation) checked only at submission" in " ".join(text.split())


def test_local_derivation_check_names_the_step_that_does_not_follow(grader):
    report = grader.grade("hw03", ROOT / "submissions" / "hw03" / "mistake_derivation_invalid_step",
                          public_only=True, device="cpu")
    chain = next(t for t in report.tests if t.name == "derivation::derivation_softmax_jacobian_steps_follow")
    assert chain.status == "failed" and chain.max_score == 0
    assert "step 3 (line 37) does not follow from step 2" in chain.message


def test_hidden_mode_reports_nothing_unchecked(grader):
    report = grader.grade("hw03", ROOT / "reference" / "hw03", public_only=False, device="cpu")
    assert report.unchecked == {} and report.score == 100.0
    assert "checked locally" not in render(report, "text", "en")


def test_unchecked_survives_the_json_round_trip(grader):
    from graders.core.report import Report

    report = grader.grade("hw03", ROOT / "reference" / "hw03", public_only=True, device="cpu")
    assert Report.from_dict(report.to_dict()).unchecked == {"derivation": 20.0}
