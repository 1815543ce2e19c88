"""graders.core.scoring: points per test from weights and outcomes (pure)."""
from __future__ import annotations

import pytest

from graders.core import report
from graders.core.scoring import Outcome, score_part, total


def outcome(name, status="passed", weight=1.0, fraction=None):
    return Outcome(name=f"softmax::{name}", part="softmax", status=status, weight=weight, fraction=fraction)


def test_points_split_equally_without_weights():
    results = score_part(30, [outcome("a"), outcome("b"), outcome("c")])
    assert [r.max_score for r in results] == [10, 10, 10]
    assert [r.score for r in results] == [10, 10, 10]


def test_points_split_by_weight():
    results = score_part(25, [outcome("a", weight=2), outcome("b", weight=2), outcome("c")])
    assert [r.max_score for r in results] == [10, 10, 5]


def test_failed_and_errored_tests_score_zero():
    results = score_part(20, [outcome("a"), outcome("b", "failed"), outcome("c", "error"), outcome("d", "timeout")])
    assert [r.score for r in results] == [5, 0, 0, 0]
    assert [r.max_score for r in results] == [5, 5, 5, 5]


def test_partial_fraction_scores_its_share():
    results = score_part(10, [outcome("derivation", "failed", fraction=0.5), outcome("other")])
    assert results[0].score == 2.5 and results[0].max_score == 5


def test_fraction_overrides_status():
    results = score_part(10, [outcome("a", "passed", fraction=0.0)])
    assert results[0].score == 0 and results[0].max_score == 10


def test_results_keep_names_status_and_texts():
    o = Outcome(name="ema::first_step", part="ema", status="failed", message="wrong", hint="try", visibility="visible")
    (r,) = score_part(10, [o])
    assert r == report.TestResult(name="ema::first_step", part="ema", status="failed", score=0, max_score=10,
                           message="wrong", hint="try", visibility="visible")


def test_scores_are_rounded_to_four_places():
    results = score_part(10, [outcome("a"), outcome("b"), outcome("c")])
    assert [r.max_score for r in results] == [3.3333] * 3


def test_part_without_tests_gives_nothing():
    assert score_part(10, []) == []


def test_zero_total_weight_does_not_divide_by_zero():
    (r,) = score_part(10, [outcome("a", weight=0)])
    assert r.max_score == 0 and r.score == 0


def test_total_sums_and_rounds_to_two_places():
    results = score_part(10, [outcome("a"), outcome("b", "failed"), outcome("c")])
    assert total(results) == (6.67, 10.0)


def test_total_of_nothing_is_zero():
    assert total([]) == (0, 0)


def test_invalid_status_is_refused():
    with pytest.raises(ValueError, match="unknown test status 'ok'"):
        score_part(10, [outcome("a", "ok")])
