"""Functions in graders/ stay short: none over 60 lines, the median at most 10 (issue 14)."""
from __future__ import annotations

import ast
import statistics
from pathlib import Path

GRADERS = Path(__file__).resolve().parents[1] / "graders"
MAX_LINES = 60
MAX_MEDIAN = 10


def _function_lengths() -> dict[str, int]:
    """``path:line name`` -> lines from ``def`` to the end of the body, for every function in graders/."""
    lengths = {}
    for path in sorted(GRADERS.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                where = f"{path.relative_to(GRADERS.parent)}:{node.lineno} {node.name}"
                lengths[where] = node.end_lineno - node.lineno + 1
    return lengths


def test_no_function_is_longer_than_60_lines():
    offenders = {where: n for where, n in _function_lengths().items() if n > MAX_LINES}
    assert not offenders, f"functions over {MAX_LINES} lines (split them): {offenders}"


def test_the_median_function_is_at_most_10_lines():
    lengths = _function_lengths()
    median = statistics.median(lengths.values())
    longest = sorted(lengths.items(), key=lambda kv: -kv[1])[:10]
    assert median <= MAX_MEDIAN, f"median function length {median} > {MAX_MEDIAN}; longest: {longest}"
