"""The assignment.toml a student bundle ships: what public checks need, nothing of the hidden suite's shape.

Why: the hidden suite's test names and weights, its key file, its cases and its data
module tell a student what is graded and where to look. The public file keeps the
parts, points, public suites, rules (with their hints), answer block names and limits;
it is written anew from the parsed file, so no comment citing a hidden file survives.
"""
from __future__ import annotations

import json
import tomllib
from typing import Any

HIDDEN_TOP = ("private", "cases")
HIDDEN_PART = ("weights", "keys")
HIDDEN_DATA = ("module",)
HEADER = "# Public copy written by `grade dist`: the hidden suite's names, weights and files are left out.\n"


def public_spec(raw: dict[str, Any]) -> dict[str, Any]:
    """The parsed assignment.toml without hidden material (pure)."""
    public = {k: v for k, v in raw.items() if k not in HIDDEN_TOP}
    if isinstance(public.get("parts"), dict):
        public["parts"] = {name: {k: v for k, v in part.items() if k not in HIDDEN_PART}
                           for name, part in public["parts"].items()}
    if isinstance(public.get("data"), dict):
        public["data"] = {k: v for k, v in public["data"].items() if k not in HIDDEN_DATA}
    return public


def _value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)  # a JSON string is a TOML basic string
    if isinstance(value, list):
        return "[" + ", ".join(_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{_key(k)} = {_value(v)}" for k, v in value.items()) + " }"
    raise TypeError(f"cannot write {type(value).__name__} to TOML")


def _key(key: str) -> str:
    return key if key.replace("_", "").replace("-", "").isalnum() else json.dumps(key, ensure_ascii=False)


def _table(path: list[str], table: dict[str, Any], out: list[str]) -> None:
    """One table: its plain keys, then its sub-tables and arrays of tables."""
    plain = {k: v for k, v in table.items() if not _is_table(v) and not _is_table_array(v)}
    if path and (plain or not table):
        out.append(f"\n[{'.'.join(_key(p) for p in path)}]")
    out += [f"{_key(k)} = {_value(v)}" for k, v in plain.items()]
    for k, v in table.items():
        if _is_table(v):
            _table(path + [k], v, out)
        elif _is_table_array(v):
            for item in v:
                out.append(f"\n[[{'.'.join(_key(p) for p in path + [k])}]]")
                out += [f"{_key(ik)} = {_value(iv)}" for ik, iv in item.items()]


def _is_table(value: Any) -> bool:
    return isinstance(value, dict)


def _is_table_array(value: Any) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(v, dict) for v in value)


def dumps(data: dict[str, Any]) -> str:
    """A small TOML writer for what assignment.toml holds (strings, numbers, lists, tables, arrays of tables)."""
    out: list[str] = []
    _table([], data, out)
    return "\n".join(out) + "\n"


def public_toml(text: str) -> str:
    """assignment.toml text -> the bundle's public assignment.toml text (reads back to public_spec of it)."""
    public = public_spec(tomllib.loads(text))
    written = HEADER + dumps(public)
    assert tomllib.loads(written) == public, "the public assignment.toml must read back unchanged"
    return written
