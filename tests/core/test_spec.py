"""graders.core.spec: assignments as data."""
from __future__ import annotations

from pathlib import Path

import pytest

from graders.core.spec import Part, list_assignments, load_assignment, parse_spec
from graders.errors import SpecError, UnknownAssignment

MINIMAL = {"id": "hw99", "title": "T", "files": ["a.py"], "parts": {"a": {"points": 5}}}


def test_hw03_has_its_parts_with_points():
    spec = load_assignment("hw03")
    assert spec.id == "hw03"
    points = {p.name: p.points for p in spec.parts}
    for name, expected in {"softmax": 25, "ema": 10, "optimizers": 30, "dropout": 15}.items():
        assert points[name] == expected
    assert "softmax.py" in spec.files and spec.notebook == "hw03.ipynb"


def test_hw03_limits_are_read():
    spec = load_assignment("hw03")
    assert spec.time_limit_s == 60 and spec.call_timeout_s == 4


def test_hw03_softmax_rule_is_loaded():
    rule = load_assignment("hw03").part("softmax").rules[0]
    assert rule.name == "own_implementation"
    assert "softmax_backward" in rule.functions and "*.softmax" in rule.forbid


def test_unknown_assignment_lists_the_known_ones():
    with pytest.raises(UnknownAssignment) as err:
        load_assignment("hw99")
    message = str(err.value)
    assert message.startswith("unknown assignment 'hw99' (known: ")
    assert "hw03" in message


def test_list_assignments_includes_hw03():
    assert "hw03" in [s.id for s in list_assignments()]


def test_missing_key_is_a_spec_error():
    raw = {k: v for k, v in MINIMAL.items() if k != "title"}
    with pytest.raises(SpecError, match="missing or mistypes 'title'"):
        parse_spec(raw, Path("."))


def test_part_without_points_is_a_spec_error():
    raw = dict(MINIMAL, parts={"a": {"suite": "test_a.py"}})
    with pytest.raises(SpecError, match="part 'a'"):
        parse_spec(raw, Path("."))


def test_part_with_non_numeric_points_is_a_spec_error():
    raw = dict(MINIMAL, parts={"a": {"points": "many"}})
    with pytest.raises(SpecError, match="part 'a'"):
        parse_spec(raw, Path("."))


def test_minimal_spec_gets_defaults():
    spec = parse_spec(MINIMAL, Path("/course"))
    (part,) = spec.parts
    assert part.suite == "test_a.py" and part.modules == ("a",)
    assert spec.max_score == 5
    assert spec.grader_dir == Path("/course/graders/hw99")


def test_unknown_part_name_raises_key_error():
    with pytest.raises(KeyError):
        parse_spec(MINIMAL, Path(".")).part("nope")


def test_weight_of_parametrized_test_falls_back_to_base_name():
    part = Part(name="p", points=10, suite="test_p.py", weights={"p::t": 3, "p::u[big]": 5})
    assert part.weight("p::t[x]") == 3.0
    assert part.weight("p::t") == 3.0
    assert part.weight("p::u[big]") == 5.0
    assert part.weight("p::u[small]") == 1.0
    assert part.weight("p::other") == 1.0
