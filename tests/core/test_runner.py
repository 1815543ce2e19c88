"""The runner: partial credit from a Mismatch, messages of passing tests, the spec and data_path fixtures."""
from __future__ import annotations

from pathlib import Path

from graders.core.runner import GradingPlugin, run_suites
from graders.core.scoring import score_part

SUITE = '''
from graders.core.compare import Mismatch

def test_close_but_not_there():
    raise Mismatch("accuracy 0.885", "decay the learning rate", fraction=0.5)

def test_passes_and_says_why(record_property):
    record_property("message", "accuracy 0.98: full marks")

def test_sees_the_spec_and_the_data_file(spec, data_path):
    assert spec == "the spec" and data_path.name == "手机价格预测.csv"
'''


def test_partial_credit_passing_messages_and_fixtures(tmp_path):
    suite = tmp_path / "test_part.py"
    suite.write_text(SUITE, encoding="utf-8")
    plugin = GradingPlugin(part_of=lambda path: "model", student=lambda part: None, golden=None, device="cpu",
                           weight=lambda part, name: 1.0, visibility="hidden", spec="the spec",
                           data_path=Path("/data/手机价格预测.csv"))
    outcomes = {o.name: o for o in run_suites([suite], plugin, rootdir=tmp_path)}
    partial = outcomes["model::close_but_not_there"]
    assert (partial.status, partial.fraction, partial.message, partial.hint) == (
        "failed", 0.5, "accuracy 0.885", "decay the learning rate")
    assert outcomes["model::passes_and_says_why"].message == "accuracy 0.98: full marks"
    assert outcomes["model::sees_the_spec_and_the_data_file"].status == "passed"
    scores = {r.name: r.score for r in score_part(90, list(outcomes.values()))}
    assert scores == {"model::close_but_not_there": 15.0, "model::passes_and_says_why": 30.0,
                      "model::sees_the_spec_and_the_data_file": 30.0}
