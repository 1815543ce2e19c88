"""The JSON format: the Report's own schema."""
from __future__ import annotations

import json

from graders.core.formats import render
from graders.core.report import Report


def test_round_trips_through_from_dict(report: Report) -> None:
    assert Report.from_dict(json.loads(render(report, "json", "en"))) == report


def test_round_trips_ungraded_and_public(ungraded: Report, public_report: Report) -> None:
    for r in (ungraded, public_report):
        assert Report.from_dict(json.loads(render(r, "json", "en"))) == r


def test_keeps_chinese_text_readable(report: Report) -> None:
    out = render(report, "json", "en")
    assert '"submission": "张三_作业3"' in out
    assert "张量形状不匹配" in out and "\\u" not in out


def test_has_the_design_fields(report: Report) -> None:
    data = json.loads(render(report, "json", "en"))
    assert {"assignment", "submission", "status", "score", "max_score",
            "duration_s", "environment", "tests"} <= set(data)
    assert data["tests"][0] == {
        "name": "softmax::stable_for_large_logits", "part": "softmax",
        "status": "failed", "score": 0.0, "max_score": 5.0,
        "message": "softmax([1000., 0.]) returned nan",
        "hint": "subtract the max before exp", "visibility": "visible"}
