"""The Gradescope results.json format."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from graders.core.formats import render
from graders.core.report import Report

SCHEMA = json.loads((Path(__file__).with_name("gradescope_schema.json")).read_text("utf-8"))


def results(report: Report) -> dict[str, Any]:
    """The rendered results.json, validated against the transcribed spec."""
    data = json.loads(render(report, "gradescope", "en"))
    jsonschema.validate(data, SCHEMA, cls=jsonschema.Draft202012Validator)
    return data


def test_schema_itself_is_valid_and_strict() -> None:
    jsonschema.Draft202012Validator.check_schema(SCHEMA)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"tests": [{"status": "error"}]}, SCHEMA)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"output": "no score, no tests"}, SCHEMA)


def test_top_level(report: Report) -> None:
    data = results(report)
    assert data["score"] == 17.5 and data["execution_time"] == 1.9
    assert data["output_format"] in ("md", "text")
    assert "sandbox: network isolation unavailable on this host" in data["output"]
    assert len(data["tests"]) == 7


def test_each_test_maps_a_test_result(report: Report) -> None:
    tests = {t["name"]: t for t in results(report)["tests"]}
    failed = tests["softmax::stable_for_large_logits"]
    assert failed == {
        "score": 0.0, "max_score": 5.0, "status": "failed",
        "name": "softmax::stable_for_large_logits", "name_format": "text", "number": "1.1",
        "output": "softmax([1000., 0.]) returned nan\nhint: subtract the max before exp",
        "output_format": "text", "tags": ["softmax", "failed"], "visibility": "visible"}
    assert tests["softmax::sums_to_one"]["status"] == "passed"
    assert {tests[n]["status"] for n in ("attention::掩码形状", "attention::causal",
                                         "attention::flash")} == {"failed"}
    assert tests["attention::掩码形状"]["output"] == "张量形状不匹配：期望 (2, 3)\nhint: 检查 mask 的维度"


def test_hidden_tests_are_after_published(report: Report) -> None:
    vis = {t["name"]: t["visibility"] for t in results(report)["tests"]}
    assert vis["attention::掩码形状"] == vis["attention::causal"] == "after_published"
    assert vis["optim::adam_step"] == "after_published"
    assert vis["softmax::partial"] == vis["attention::flash"] == "visible"


def test_scores_sum_to_report_score(report: Report) -> None:
    data = results(report)
    assert sum(t["score"] for t in data["tests"]) == data["score"]
    assert sum(t["max_score"] for t in data["tests"]) == report.max_score


def test_ungraded_scores_zero_and_says_why(ungraded: Report) -> None:
    data = results(ungraded.with_changes(score=12.0))
    assert data["score"] == 0.0 and data["tests"] == []
    assert data["output"] == ("not graded (rejected): archive entry ../../etc/passwd "
                              "escapes the submission folder")


def test_public_only_output(public_report: Report) -> None:
    assert "public checks: 1/1 passed" in results(public_report)["output"]
