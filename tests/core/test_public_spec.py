"""graders.core.public_spec: the bundle's assignment.toml shows nothing of the hidden suite's shape (issue 15)."""
from __future__ import annotations

import ast
import tomllib
from pathlib import Path

import pytest

from graders.core.public_spec import dumps, public_toml

ROOT = Path(__file__).resolve().parents[2]
SPECS = sorted((ROOT / "graders").glob("hw*/assignment.toml"))


def _hidden_test_names(folder: Path) -> set[str]:
    """The hidden suites' test function names (without test_) and the weights' keys."""
    names = set()
    for suite in folder.glob("test_*.py"):
        names |= {n.name.removeprefix("test_") for n in ast.walk(ast.parse(suite.read_text(encoding="utf-8")))
                  if isinstance(n, ast.FunctionDef) and n.name.startswith("test_")}
    toml = folder / "assignment.toml"
    raw = tomllib.loads(toml.read_text(encoding="utf-8")) if toml.is_file() else {}
    for part in raw.get("parts", {}).values():
        names |= {k.split("::")[-1] for k in part.get("weights", {})}
    return names


@pytest.mark.parametrize("path", SPECS, ids=lambda p: p.parent.name)
def test_no_hidden_test_name_weight_or_file_in_the_public_copy(path):
    text = public_toml(path.read_text(encoding="utf-8"))
    public = tomllib.loads(text)
    public_tests = ROOT / "exercises" / path.parent.name / "tests"
    shown = {n for n in _hidden_test_names(path.parent) if n in text}
    public_names = _hidden_test_names(public_tests) if public_tests.is_dir() else set()
    assert shown <= public_names, shown - public_names  # a name the public tests also use is no secret
    assert all("weights" not in p and "keys" not in p for p in public["parts"].values())
    assert "cases" not in public and "module" not in public.get("data", {}) and "private" not in public
    assert "keys.toml" not in text and "cases.py" not in text and "data.py" not in text


def test_the_writer_reads_back_what_it_wrote():
    data = {"id": "x", "files": ["a.py"], "n": 1.5, "ok": True, "limits": {"t": 3},
            "parts": {"a": {"points": 2, "rules": [{"name": "r", "hint": 'say "no" # here'}]}},
            "data": {"split": {"train_size": 0.8}}}
    assert tomllib.loads(dumps(data)) == data
