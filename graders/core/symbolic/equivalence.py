"""Is a student's answer equal to the key?  Numeric evaluation decides.

Both expressions are evaluated on random data for several vector sizes n and
at every assignment of the free indices (i, j in 1..n); y = softmax(x) is
substituted, so answers written in x or in y are both accepted.  A key may
declare scalar variables (drawn at random per point) and definitions in them
(``a = \\sigma(z)``), so answers in z or in a are both accepted too.  A bounded
sympy simplification is tried as well and reported in ``detail["symbolic"]``.
"""
from __future__ import annotations

import itertools
import random
import threading
import time
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Iterable

import sympy as sp

from graders.i18n import _

from .errors import EvalError, ParseError
from .evaluate import Definitions, EvalTimeout, Evaluator, Point, close, fmt, free_indices, is_scalar_name, show
from .parser import parse_equation
from .key import Key

SYMBOLIC_MAX_OPS = 40
SYMBOLIC_TIME_S = 0.3


@dataclass(frozen=True)
class Verdict:
    """Result of one answer check.

    status: "equivalent" | "not_equivalent" | "unparseable" | "timeout".
    hint: text for a recognised classic mistake, else None.
    """

    status: str
    message: str
    detail: dict[str, Any] = field(default_factory=dict)
    hint: str | None = None

    @property
    def ok(self) -> bool:
        return self.status == "equivalent"


@dataclass(frozen=True)
class Difference:
    """Where two expressions differ."""

    n: int
    assignment: tuple[tuple[str, int], ...]
    expected: float
    got: float
    scalars: tuple[tuple[str, float], ...] = ()  # the drawn variables, when the question has some

    def describe(self) -> str:
        if self.scalars:
            where = ", ".join([f"{k}={v}" for k, v in self.assignment] + [f"{k}={fmt(v)}" for k, v in self.scalars])
        else:
            where = ", ".join([f"n={self.n}"] + [f"{k}={v}" for k, v in self.assignment])
        return _("differs at {where}: expected {expected}, got {got}").format(
            where=where, expected=fmt(self.expected), got=fmt(self.got))


class SideError(EvalError):
    """Evaluation failed on one side ("expected" or "got")."""

    def __init__(self, side: str, err: EvalError) -> None:
        self.side = side
        self.err = err
        super().__init__(str(err))


@lru_cache(maxsize=256)
def parse_trusted(text: str) -> sp.Expr:
    """Parse key text (cached)."""
    sides = parse_equation(text)
    return sides[-1]


@lru_cache(maxsize=64)
def trusted_definitions(lines: tuple[str, ...]) -> Definitions:
    defs = Definitions()
    for line in lines:
        lhs, rhs = parse_equation(line)
        defs.add(lhs, rhs)
    return defs


@lru_cache(maxsize=64)
def trusted_variables(names: tuple[str, ...]) -> tuple[sp.Expr, ...]:
    """A key's declared scalar variables, parsed (``z``, ``t``, ``z_2``)."""
    out = []
    for name in names:
        v = parse_trusted(name)
        if not is_scalar_name(v):
            raise ValueError(f"key variable {name!r} is not a scalar name like z, t or z_2")
        out.append(v)
    return tuple(out)


def key_variables(key: Key | str) -> tuple[sp.Expr, ...]:
    return trusted_variables(tuple(key.variables)) if isinstance(key, Key) else ()


def points(sizes: Iterable[int], seed: int, variables: tuple[sp.Expr, ...] = ()) -> list[Point]:
    rng = random.Random(seed)
    return [Point.draw(n, rng, variables) for n in sizes]


def _side_value(ev: Evaluator, expr: sp.Expr, env: dict, side: str) -> float:
    """Evaluate one side; an evaluation error names the side (a timeout propagates as is)."""
    try:
        return ev.value(expr, env)
    except EvalTimeout:
        raise
    except EvalError as e:
        raise SideError(side, e) from None


def compare(expected: sp.Expr, got: sp.Expr, *, pts: list[Point],
            defs_expected: Definitions | None = None, defs_got: Definitions | None = None,
            indices: Iterable[sp.Symbol] | None = None,
            deadline: float | None = None) -> Difference | None:
    """First point where ``got`` differs from ``expected``; None if none.

    Raises SideError when one side cannot be evaluated, EvalTimeout past the
    deadline.
    """
    idx = sorted(set(indices) if indices is not None
                 else free_indices(expected) | free_indices(got), key=lambda s: s.name)
    for p in pts:
        ev_e = Evaluator(p, defs_expected, deadline)
        ev_g = Evaluator(p, defs_got if defs_got is not None else defs_expected, deadline)
        for combo in itertools.product(range(1, p.n + 1), repeat=len(idx)):
            env = dict(zip(idx, combo))
            a = _side_value(ev_e, expected, env, "expected")
            b = _side_value(ev_g, got, env, "got")
            if not close(a, b):
                return Difference(p.n, tuple((s.name, v) for s, v in zip(idx, combo)), a, b,
                                  tuple((show(k), v) for k, v in p.scalars.items()))
    return None


def _symbolic_equal(a: sp.Expr, b: sp.Expr, timeout: float) -> str:
    """'equal' / 'unknown' / 'skipped' / 'timeout' from a bounded sympy simplify."""
    if timeout <= 0.05 or sp.count_ops(a) + sp.count_ops(b) > SYMBOLIC_MAX_OPS:
        return "skipped"
    result: list[str] = []

    def work() -> None:
        try:
            d = sp.simplify(a - b)
            result.append("equal" if d == 0 else "unknown")
        except Exception:  # noqa: BLE001 - sympy may raise anything here
            result.append("unknown")

    th = threading.Thread(target=work, daemon=True)
    th.start()
    th.join(timeout)
    return result[0] if result else "timeout"


def match_lhs(lhs: sp.Expr, quantity: sp.Expr | None) -> dict | None:
    """Index renaming that turns ``lhs`` into ``quantity``; None if impossible."""
    if quantity is None:
        return {}
    if lhs == quantity:
        return {}
    mine, theirs = sorted(free_indices(lhs), key=str), sorted(free_indices(quantity), key=str)
    if len(mine) != len(theirs):
        return None
    for perm in itertools.permutations(theirs):
        m = dict(zip(mine, perm))
        if lhs.xreplace(m) == quantity:
            return m
    return None


def _same_quantity(lhs: sp.Expr, quantity: sp.Expr, pts: list[Point], defs: Definitions,
                   deadline: float) -> bool:
    """Does a differently written left-hand side (\\sigma'(z) for da/dz) have the quantity's value?"""
    if free_indices(lhs) != free_indices(quantity):
        return False
    try:
        return compare(quantity, lhs, pts=pts, defs_expected=defs, deadline=deadline) is None
    except EvalError:
        return False


def key_parts(key: Key | str) -> tuple[sp.Expr, sp.Expr | None, Definitions, tuple]:
    """A key parsed: (expected expression, quantity or None, definitions, hints); key LaTeX alone has no quantity."""
    if isinstance(key, Key):
        return (parse_trusted(key.expr_latex), parse_trusted(key.quantity_latex),
                trusted_definitions(tuple(key.definitions)), tuple(key.hints))
    return parse_trusted(key), None, Definitions(), ()


def check_equivalent(student: str, key: Key | str, *, seed: int = 0,
                     sizes: tuple[int, ...] = (2, 3, 5), time_limit_s: float = 2.0) -> Verdict:
    """Check a student's answer text against a key (a Key or key LaTeX).

    The answer may state a left-hand side naming the quantity
    (``\\frac{\\partial y_i}{\\partial x_j} = ...``); it is stripped (with index
    renaming if the student used other letters) and the last right-hand side is
    checked.
    """
    start = time.monotonic()
    deadline = start + time_limit_s
    key_expr, quantity, defs, hints = key_parts(key)
    try:
        sides = parse_equation(student)
    except ParseError as e:
        return Verdict("unparseable", _("cannot read the answer: {error}").format(error=e),
                       {"line": e.line, "column": e.column, "error": e.message})
    pts = points(sizes, seed, key_variables(key))
    answer, refusal = _answer(sides, quantity, pts, defs, deadline)
    if refusal is not None:
        return refusal
    detail: dict[str, Any] = {"answer": sp.sstr(answer)}
    allowed = free_indices(key_expr) | (free_indices(quantity) if quantity is not None else set())
    refusal = _form_problem(answer, allowed, detail, defs)
    if refusal is not None:
        return refusal
    verdict = _numeric(key_expr, answer, pts, defs, allowed, deadline, detail)
    if verdict.status == "equivalent":
        remaining = deadline - time.monotonic()
        detail["symbolic"] = _symbolic_equal(answer, key_expr, min(SYMBOLIC_TIME_S, remaining))
        return verdict
    if verdict.status == "not_equivalent" and hints:
        return _with_hint(verdict, answer, hints, _Scope(pts, defs, allowed, deadline))
    return verdict


def _answer(sides: list[sp.Expr], quantity: sp.Expr | None, pts: list[Point], defs: Definitions,
            deadline: float) -> tuple[sp.Expr, Verdict | None]:
    """The last side, renamed to the quantity's indices when a derivative left-hand side states it.

    The Verdict is a refusal: a left-hand side that is not the quantity asked for.
    """
    answer = sides[-1]
    lhs = sides[0]
    if len(sides) < 2 or not isinstance(lhs, sp.Derivative):
        return answer, None
    ren = match_lhs(lhs, quantity)
    if ren is None and quantity is not None and _same_quantity(lhs, quantity, pts, defs, deadline):
        ren = {}
    if ren is None:
        return answer, Verdict("not_equivalent",
                               _("the left-hand side {lhs} is not the quantity asked for ({quantity})").format(
                                   lhs=sp.sstr(lhs), quantity=sp.sstr(quantity)), {"lhs": sp.sstr(lhs)})
    return (answer.xreplace(ren) if ren else answer), None


def _form_problem(answer: sp.Expr, allowed: set, detail: dict, defs: Definitions) -> Verdict | None:
    """A refusal for an answer not in closed form (a derivative, or \\delta naming one) or with a free index the
    question lacks; else None."""
    if answer.has(sp.Derivative):
        return Verdict("not_equivalent", _("the answer still contains a derivative; give it in closed form"), detail)
    if defs.unevaluated(answer):
        return Verdict("not_equivalent", _("the answer uses a name for a derivative (like \\delta); "
                                           "give it in closed form"), detail)
    extra = free_indices(answer) - allowed
    if extra:
        names = ", ".join(sorted(s.name for s in extra))
        return Verdict("not_equivalent",
                       _("index {names} is free in the answer but not in the question "
                         "(a summation index needs \\sum)").format(names=names), detail)
    return None


@dataclass(frozen=True)
class _Scope:
    """Where answers are compared: the points, the key's definitions, the free indices, the deadline."""

    pts: list[Point]
    defs: Definitions
    indices: set
    deadline: float


def _with_hint(verdict: Verdict, answer: sp.Expr, hints: tuple, scope: _Scope) -> Verdict:
    """The verdict with the hint of the first classic mistake the answer equals (tried until the deadline)."""
    for wrong, hint in hints:
        if time.monotonic() > scope.deadline:
            break
        try:
            if compare(parse_trusted(wrong), answer, pts=scope.pts, defs_expected=scope.defs,
                       indices=scope.indices, deadline=scope.deadline) is None:
                return Verdict(verdict.status, verdict.message, {**verdict.detail, "mistake": wrong}, hint)
        except EvalError:
            continue
    return verdict


def _numeric(key_expr: sp.Expr, answer: sp.Expr, pts: list[Point], defs: Definitions,
             indices: set, deadline: float, detail: dict) -> Verdict:
    try:
        diff = compare(key_expr, answer, pts=pts, defs_expected=defs, indices=indices, deadline=deadline)
    except EvalTimeout:
        return Verdict("timeout", _("the check ran out of time"), detail)
    except SideError as e:
        if e.side == "expected":
            raise RuntimeError(f"key cannot be evaluated: {e.err}") from None
        return Verdict("not_equivalent", _("cannot evaluate the answer: {error}").format(error=e.err), detail)
    if diff is None:
        detail["checked_sizes"] = [p.n for p in pts]
        return Verdict("equivalent", "equivalent", detail)
    detail.update({"n": diff.n, "at": dict(diff.assignment), "expected": diff.expected, "got": diff.got})
    return Verdict("not_equivalent", _("not equivalent ({difference})").format(difference=diff.describe()), detail)
