"""graders.core.spec: assignments as data."""
from __future__ import annotations

import copy
import dataclasses
import subprocess
import sys
from pathlib import Path

import pytest

from graders.core import assignment_schema as schema
from graders.core.sandbox import Limits
from graders.core.course import read_toml
from graders.core.dist import public_toml
from graders.core.spec import Part, list_assignments, load_assignment, parse_spec
from graders.errors import SpecError, UnknownAssignment

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = sorted(ROOT.glob("graders/hw*/assignment.toml"))

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
    with pytest.raises(SpecError) as err:
        parse_spec(raw, Path("."))
    assert str(err.value) == "assignment.toml: the top level is missing the required key 'title'"


def test_part_without_points_is_a_spec_error():
    raw = dict(MINIMAL, parts={"a": {"suite": "test_a.py"}})
    with pytest.raises(SpecError) as err:
        parse_spec(raw, Path("."))
    assert str(err.value) == "assignment.toml: [parts.a] is missing the required key 'points'"


def test_part_with_non_numeric_points_is_a_spec_error():
    raw = dict(MINIMAL, parts={"a": {"points": "many"}})
    with pytest.raises(SpecError) as err:
        parse_spec(raw, Path("."))
    assert str(err.value) == "assignment.toml: parts.a.points must be a number, not 'many'"


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


# --- the schema: unknown keys, wrong types, every shipped file loads ---------------------------------------


def _hw(name: str) -> dict:
    return copy.deepcopy(read_toml(ROOT / "graders" / name / "assignment.toml"))


def _error(raw: dict, source: str = "graders/hw03/assignment.toml") -> str:
    with pytest.raises(SpecError) as err:
        parse_spec(raw, ROOT, source=source)
    return str(err.value)


def _rule_typo(raw: dict) -> None:
    raw["parts"]["softmax"]["rules"][0]["forbd"] = raw["parts"]["softmax"]["rules"][0].pop("forbid")


@pytest.mark.parametrize(("typo", "expected"), [
    (lambda r: r.update(titel="T"), "the top level has no key 'titel' (did you mean 'title'?)"),
    (lambda r: r["limits"].update(call_timout_s=4), "[limits] has no key 'call_timout_s' (did you mean 'call_timeout_s'?)"),
    (lambda r: r["limits"].update(memroy_mb=1), "[limits] has no key 'memroy_mb' (did you mean 'memory_mb'?)"),
    (lambda r: r["parts"]["softmax"].update(wieghts={}), "[parts.softmax] has no key 'wieghts' (did you mean 'weights'?)"),
    (_rule_typo, "[[parts.softmax.rules]] #1 has no key 'forbd' (did you mean 'forbid'?)"),
    (lambda r: r.update(data={"modul": "data.py"}), "[data] has no key 'modul' (did you mean 'module'?)"),
    (lambda r: r.update(private={"heldout_sed": 1}), "[private] has no key 'heldout_sed' (did you mean 'heldout_seed'?)"),
    (lambda r: r.update(data={"course_split": {"train_sise": 0.5}}),
     "[data.course_split] has no key 'train_sise' (did you mean 'train_size'?)"),
    (lambda r: r.update(xyz=1), "the top level has no key 'xyz' (valid keys: id, title, files, notebook, harness, "
                                "cases, limits, parts, data, private, late)"),
    (lambda r: r.update(late={"dew": "2026-12-26T22:00+08:00"}), "[late] has no key 'dew' (did you mean 'due'?)"),
])
def test_a_typo_in_any_table_names_the_file_the_table_the_key_and_the_nearest_name(typo, expected):
    raw = _hw("hw03")
    typo(raw)
    assert _error(raw) == f"graders/hw03/assignment.toml: {expected}"


@pytest.mark.parametrize(("change", "expected"), [
    (lambda r: r["limits"].update(call_timeout_s="4"), "limits.call_timeout_s must be a number, not '4'"),
    (lambda r: r["limits"].update(memory_mb=2.5), "limits.memory_mb must be an integer, not 2.5"),
    (lambda r: r["limits"].update(threads=True), "limits.threads must be an integer, not True"),
    (lambda r: r.update(files="softmax.py"), "files must be a list of strings, not 'softmax.py'"),
    (lambda r: r["parts"].update(ema=10), "parts.ema must be a table, not 10"),
    (lambda r: r["parts"]["ema"].update(weights={"ema::t": "2"}),
     "parts.ema.weights must be a table of numbers, not {'ema::t': '2'}"),
    (lambda r: r["parts"]["softmax"]["rules"][0].update(forbid="torch"),
     "parts.softmax.rules[1].forbid must be a list of strings, not 'torch'"),
    (lambda r: r["limits"].update(time_limit_s=0), "limits.time_limit_s must be greater than 0"),
    (lambda r: r["parts"]["ema"].update(points=-1), "parts.ema.points must be 0 or more"),
    (lambda r: r["parts"]["ema"].update(suite="../../reference/hw03/ema.py"),
     "parts.ema.suite must be a path inside the assignment's folder, not '../../reference/hw03/ema.py'"),
])
def test_a_wrong_type_or_value_names_the_key_and_what_it_must_be(change, expected):
    raw = _hw("hw03")
    change(raw)
    assert _error(raw) == f"graders/hw03/assignment.toml: {expected}"


def _course_with(tmp_path: Path, text: str) -> Path:
    (tmp_path / "graders" / "hw99").mkdir(parents=True)
    (tmp_path / "graders" / "hw99" / "assignment.toml").write_text(text, encoding="utf-8")
    return tmp_path


BAD_TOML = 'id = "hw99"\ntitle = "T"\nfiles = ["a.py"]\n[limits]\ncall_timout_s = 4\n[parts.a]\npoints = 5\n'


def test_load_assignment_names_the_file_relative_to_the_course(tmp_path):
    with pytest.raises(SpecError) as err:
        load_assignment("hw99", _course_with(tmp_path, BAD_TOML))
    assert str(err.value) == ("graders/hw99/assignment.toml: [limits] has no key 'call_timout_s' "
                              "(did you mean 'call_timeout_s'?)")


def test_the_cli_shows_a_bad_spec_without_a_traceback_and_exits_2(tmp_path):
    env = {"GRADERS_COURSE": str(_course_with(tmp_path, BAD_TOML)), "PATH": "/usr/bin:/bin", "GRADERS_LANG": "en"}
    proc = subprocess.run([sys.executable, "-c", "from graders.cli import run; run()", "list"],
                          capture_output=True, text=True, env=env, cwd=tmp_path)
    assert proc.returncode == 2
    assert proc.stderr.strip() == ("error: graders/hw99/assignment.toml: [limits] has no key 'call_timout_s' "
                                   "(did you mean 'call_timeout_s'?)")


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.parent.name)
def test_every_shipped_assignment_toml_loads(path):
    assert len(SHIPPED) >= 3
    spec = load_assignment(path.parent.name)
    assert spec.id == path.parent.name and spec.parts


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.parent.name)
def test_the_bundle_copy_written_by_grade_dist_stays_valid(path, tmp_path):
    import tomllib

    bundled = tomllib.loads(public_toml(path.read_text(encoding="utf-8")))
    spec = parse_spec(bundled, tmp_path, bundle_dir=tmp_path, source="assignment.toml")
    assert spec.private == {} and spec.id == path.parent.name


def test_the_limits_table_declares_every_sandbox_limit_with_its_default():
    declared = {k.name: k.default for k in schema.LIMITS.keys if k.name in schema.SANDBOX_LIMITS}
    assert declared == dataclasses.asdict(Limits())


def test_defaults_of_an_empty_limits_table_are_the_old_ones():
    spec = parse_spec(MINIMAL, Path("/course"))
    assert spec.limits == Limits() and spec.time_limit_s == 120 and spec.call_timeout_s == 5


def test_the_docs_key_table_is_generated_from_the_schema():
    committed = (ROOT / "docs" / "assignment-keys.md").read_text(encoding="utf-8")
    regenerate = "python -m graders.core.assignment_schema > docs/assignment-keys.md"
    assert committed == schema.render_key_table(), f"the docs drifted from the schema; run {regenerate}"


def test_every_key_of_the_schema_has_a_description():
    for table in schema.all_tables():
        assert table.description and all(k.description for k in table.keys), table.header
