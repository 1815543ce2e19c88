"""The Key type: what a symbolic answer is checked against (no answers here)."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

MILESTONE_FIELDS = {"name", "expr", "quantity", "weight", "hint"}
KEY_FIELDS = {"expr", "quantity", "hints", "definitions", "variables", "milestones", "consistency_weight"}


@dataclass(frozen=True)
class Milestone:
    """An intermediate result a real derivation passes through (see docs/derivation-keys.md).

    expr_latex: the result, in the notation the checker reads (compared with
        y, t and the declared variables drawn freely, so the x-form of the
        quotient rule and the y-form of the answer are different milestones).
    quantity_latex: when given, the milestone is "this derivative evaluated":
        reached by the step where it disappears from the chain, or by a side
        chain ``quantity = ... = expr``.
    weight: its share of the chain's points; hint: what to show when it is missing.
    """

    name: str
    expr_latex: str
    weight: float
    hint: str
    quantity_latex: str = ""


@dataclass(frozen=True)
class Key:
    """An answer key.

    expr_latex: the expected right-hand side.
    quantity_latex: what is derived (an answer may state it as left-hand side).
    hints: (known-wrong expression, hint text) pairs for classic mistakes.
    definitions: trusted "NAME = EXPR" lines valid for this question (e.g. L).
    variables: scalar inputs of the question (``z``, ``t``, ``z_2``), drawn at
        random when answers are compared; without them the question is about
        the n-vectors x, y = softmax(x), g, t.
    milestones: intermediate results of a derivation, in the order a derivation
        reaches them; without any, a chain is graded on consistency alone.
    consistency_weight: the share of a chain's points for its steps following
        one from another (default: the milestones' total weight).
    """

    name: str
    expr_latex: str
    quantity_latex: str
    hints: tuple[tuple[str, str], ...] = ()
    definitions: tuple[str, ...] = field(default=())
    variables: tuple[str, ...] = field(default=())
    milestones: tuple[Milestone, ...] = field(default=())
    consistency_weight: float | None = None


class KeyFileError(ValueError):
    """A keys.toml table that cannot be used (unknown field, missing expr, bad weight)."""


def _milestone(key: str, index: int, raw: Any) -> Milestone:
    """One ``[[KEY.milestones]]`` table, validated."""
    where = f"{key}.milestones[{index}]"
    if not isinstance(raw, dict):
        raise KeyFileError(f"{where}: expected a table")
    unknown = sorted(set(raw) - MILESTONE_FIELDS)
    if unknown:
        raise KeyFileError(f"{where}: unknown field(s) {', '.join(unknown)} (allowed: {', '.join(sorted(MILESTONE_FIELDS))})")
    for name in ("name", "expr", "hint"):
        if not isinstance(raw.get(name), str) or not raw[name].strip():
            raise KeyFileError(f"{where}: '{name}' must be a non-empty string")
    weight = raw.get("weight", 1)
    if isinstance(weight, bool) or not isinstance(weight, (int, float)) or weight <= 0:
        raise KeyFileError(f"{where}: 'weight' must be a positive number")
    for name in ("expr", "quantity"):
        _readable(where, name, raw.get(name, ""))
    return Milestone(raw["name"], raw["expr"], float(weight), raw["hint"], raw.get("quantity", ""))


def _readable(where: str, name: str, text: str) -> None:
    """A key's mathematics must parse now, not when the first student is graded."""
    from .errors import ParseError
    from .parser import parse_equation

    if not text:
        return
    try:
        parse_equation(text)
    except ParseError as e:
        raise KeyFileError(f"{where}: '{name}' cannot be read: {e}") from None


def key_from_table(name: str, t: dict[str, Any]) -> Key:
    """One key table of a keys file, validated (why: a typo must not silently drop a milestone)."""
    unknown = sorted(set(t) - KEY_FIELDS)
    if unknown:
        raise KeyFileError(f"{name}: unknown field(s) {', '.join(unknown)} (allowed: {', '.join(sorted(KEY_FIELDS))})")
    if "expr" not in t or "quantity" not in t:
        raise KeyFileError(f"{name}: 'expr' and 'quantity' are required")
    consistency = t.get("consistency_weight")
    if consistency is not None and (isinstance(consistency, bool) or not isinstance(consistency, (int, float))
                                    or consistency < 0):
        raise KeyFileError(f"{name}: 'consistency_weight' must be a number >= 0")
    milestones = tuple(_milestone(name, k, m) for k, m in enumerate(t.get("milestones", [])))
    return Key(name=name, expr_latex=t["expr"], quantity_latex=t["quantity"],
               hints=tuple((w, h) for w, h in t.get("hints", [])),
               definitions=tuple(t.get("definitions", ())), variables=tuple(t.get("variables", ())),
               milestones=milestones, consistency_weight=None if consistency is None else float(consistency))


def load_keys(path: str | Path) -> dict[str, Key]:
    """Answer keys from a TOML file (one table per key: expr, quantity, hints, definitions, variables, milestones)."""
    import tomllib

    raw = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    try:
        return {name: key_from_table(name, t) for name, t in raw.items()}
    except KeyFileError as e:
        raise KeyFileError(f"{path}: {e}") from None
