"""Named notation: batch normalisation (\\hat{x}_i, \\mu_B, \\sigma_B^2, \\gamma, \\beta, \\epsilon, the batch
size m) and the backprop error term \\delta (\\delta, \\delta_2, \\delta^{(2)}; \\delta_{ij} stays Kronecker's).

Why a module of its own: these names mean one thing in the course's batch
normalisation chapter (the batch's mean and biased variance, the scale, the
shift, a small positive constant) and must not disturb the softmax notation
(``\\sigma(z)`` stays the sigmoid, ``m`` stays an index letter wherever it is
used as one). The lexer reads the names into single LETTER tokens; the parser
turns them into the symbols below; the evaluator draws values for the
parameters (epsilon positive) at every point.
"""
from __future__ import annotations

import random
import re
from typing import Iterable

import sympy as sp

VARIANCE = "\\sigma_B^2"
STD = "\\sigma_B"
MEAN = "\\mu_B"
HAT_PREFIX = "\\hat{"

# command or plain word -> the LETTER token value
NAMED_WORDS = {"mu": "\\mu", "gamma": "\\gamma", "beta": "\\beta", "epsilon": "\\epsilon",
               "varepsilon": "\\epsilon", "eps": "\\epsilon"}
PLAIN_NAMES = set(NAMED_WORDS) | {"mu", "sigma"}  # words of the notation, not prose
NAMED_COMMANDS = {"mu", "gamma", "beta", "epsilon", "varepsilon", "sigma"}
HAT_COMMANDS = {"hat", "widehat"}
UNICODE_NAMES = {"\u03bc": "mu", "\u03b3": "gamma", "\u03b2": "beta", "\u03b5": "epsilon", "\u03f5": "epsilon"}
BATCH_SUBSCRIPTS = ("_{B}", "_B")
SQUARES = ("^{2}", "^2")

DELTA = "\\delta"
_KRONECKER_PLAIN = re.compile(r"\s*_\s*([ijklmnpqr0-9]{2})")  # \delta_ij: two index characters
_BRACED_SUB = re.compile(r"\s*_\s*\{([A-Za-z0-9,\s]*)\}")
_LAYER = re.compile(r"\s*\^\s*\{\s*\(\s*([0-9]+|[A-Za-z])\s*\)\s*\}")  # \delta^{(2)}
_SUPERSCRIPT = re.compile(r"\s*\^")

# the parameters every point carries a value for, and the range each is drawn from
PARAMETERS: dict[str, tuple[float, float]] = {"\\gamma": (0.5, 2.0), "\\beta": (-1.0, 1.0), "\\epsilon": (0.05, 0.5)}
_SYMBOLS = {name: sp.Symbol(name, positive=True) if name == "\\epsilon" else sp.Symbol(name) for name in PARAMETERS}
_SYMBOLS[MEAN] = sp.Symbol(MEAN)
_SYMBOLS[VARIANCE] = sp.Symbol(VARIANCE, positive=True)


def batch_suffix(text: str, pos: int) -> tuple[int, bool]:
    """After ``\\mu``/``\\sigma`` at ``pos``: (characters of a ``_B`` subscript with an optional square, squared?).

    ``_B``, ``_{B}``, ``_B^2``, ``_{B}^{2}``, ``^2_B`` and ``^{2}_{B}`` are read; (0, False) when there is no ``_B``.
    """
    for sub in BATCH_SUBSCRIPTS:
        if text.startswith(sub, pos):
            square = next((s for s in SQUARES if text.startswith(s, pos + len(sub))), "")
            return len(sub) + len(square), bool(square)
    for square in SQUARES:
        sub = next((s for s in BATCH_SUBSCRIPTS if text.startswith(s, pos + len(square))), "")
        if text.startswith(square, pos) and sub:
            return len(square) + len(sub), True
    return 0, False


def named_token(word: str, text: str, pos: int) -> tuple[str, int] | None:
    """The LETTER value for a named symbol at ``pos`` (after the word) and the extra characters it takes.

    None for ``\\sigma`` without ``_B`` (the sigmoid) and ``\\mu`` without ``_B`` (not a course name).
    """
    extra, squared = batch_suffix(text, pos)
    if word == "sigma":
        return ((VARIANCE if squared else STD), extra) if extra else None
    if word == "mu":
        return (MEAN, extra) if not squared else None
    return (NAMED_WORDS[word], 0) if word in NAMED_WORDS else None


def hat_name(letter: str) -> str:
    """The LETTER value of ``\\hat{x}``: a quantity of its own, indexed like x."""
    return f"{HAT_PREFIX}{letter}}}"


def is_named(value: str) -> bool:
    """A LETTER value made by this module (starts with a backslash)."""
    return value.startswith("\\")


def named_symbol(value: str) -> sp.Expr:
    """The sympy expression of a named LETTER: the standard deviation is the root of the variance."""
    if value == STD:
        return sp.sqrt(_SYMBOLS[VARIANCE])
    return _SYMBOLS.get(value) or sp.Symbol(value)


def parameter_symbols() -> tuple[sp.Symbol, ...]:
    """gamma, beta, epsilon: scalars with a value at every point, not defined by a key."""
    return tuple(_SYMBOLS[name] for name in PARAMETERS)


def parameter_values(n: int, x: Iterable[float]) -> dict[sp.Expr, float]:
    """The parameters' values at one point, drawn from a generator seeded by the point.

    Why seeded by the point: the existing points (x, g, t) stay exactly as they were drawn.
    """
    rng = random.Random(f"{n}:{','.join(repr(v) for v in x)}")
    return {_SYMBOLS[name]: rng.uniform(lo, hi) for name, (lo, hi) in PARAMETERS.items()}


def batch_size_m(expr: sp.Expr, m: sp.Symbol, n: sp.Symbol) -> sp.Expr:
    """``m`` as the batch size n where it is no index: free, and never a subscript or a summation variable.

    ``\\frac{1}{m}\\sum_{j=1}^{m} x_j`` is the mean over the batch; ``\\sum_{m=1}^{n} e^{x_m}`` and
    ``y_m`` keep m as an index.
    """
    if not expr.has(m) or _used_as_index(expr, m):
        return expr
    return expr.xreplace({m: n})


def _used_as_index(expr: sp.Basic, m: sp.Symbol) -> bool:
    for node in sp.preorder_traversal(expr):
        if isinstance(node, sp.Indexed) and any(i.has(m) for i in node.indices):
            return True
        if isinstance(node, sp.KroneckerDelta) and node.has(m):
            return True
        if isinstance(node, sp.Sum) and any(lim[0] == m for lim in node.limits):
            return True
    return False


def delta_reading(text: str, pos: int) -> tuple[str, str, int]:
    """How a \\delta (``\\delta``, ``delta``, ``δ``) whose word ends at ``pos`` reads.

    ("kronecker", "", 0) when two indices follow (``\\delta_{ij}``, ``\\delta_ij``, ``\\delta_{i,j}``);
    ("symbol", LETTER value, extra characters) for the error term of backprop: ``\\delta``, ``\\delta_2``
    (the value ``\\delta``, indexed like any letter), ``\\delta^{(2)}`` (one symbol of its own);
    ("ambiguous", "", 0) for ``\\delta^2``: a power or a layer?
    Why here: a name means one thing in the whole course; the lexer only asks.
    """
    if _KRONECKER_PLAIN.match(text, pos):
        return "kronecker", "", 0
    braced = _BRACED_SUB.match(text, pos)
    if braced and len(re.findall(r"[0-9]+|[A-Za-z]", braced.group(1))) >= 2:
        return "kronecker", "", 0
    layer = _LAYER.match(text, pos)
    if layer:
        return "symbol", f"{DELTA}^{{({layer.group(1)})}}", layer.end() - pos
    if _SUPERSCRIPT.match(text, pos):
        return "ambiguous", "", 0
    return "symbol", DELTA, 0
