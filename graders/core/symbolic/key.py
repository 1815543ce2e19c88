"""The Key type: what a symbolic answer is checked against (no answers here)."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


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
    """

    name: str
    expr_latex: str
    quantity_latex: str
    hints: tuple[tuple[str, str], ...] = ()
    definitions: tuple[str, ...] = field(default=())
    variables: tuple[str, ...] = field(default=())


def load_keys(path: str | Path) -> dict[str, Key]:
    """Answer keys from a TOML file (one table per key: expr, quantity, hints, definitions, variables)."""
    import tomllib

    raw = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    return {name: Key(name=name, expr_latex=t["expr"], quantity_latex=t["quantity"],
                      hints=tuple((w, h) for w, h in t.get("hints", [])),
                      definitions=tuple(t.get("definitions", ())), variables=tuple(t.get("variables", ())))
            for name, t in raw.items()}
