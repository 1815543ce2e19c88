"""The Key type: what a symbolic answer is checked against (no answers here)."""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Key:
    """An answer key.

    expr_latex: the expected right-hand side.
    quantity_latex: what is derived (an answer may state it as left-hand side).
    hints: (known-wrong expression, hint text) pairs for classic mistakes.
    definitions: trusted "NAME = EXPR" lines valid for this question (e.g. L).
    """

    name: str
    expr_latex: str
    quantity_latex: str
    hints: tuple[tuple[str, str], ...] = ()
    definitions: tuple[str, ...] = field(default=())
