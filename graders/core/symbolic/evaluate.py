"""Numeric evaluation of parsed expressions on concrete n-vectors and scalars.

An expression is compiled once into nested closures and then evaluated at many
points.  ``y`` is softmax(x) unless it is being perturbed; derivatives
(``Derivative(f, x_j)``) are central finite differences on the concrete
vector, so sums over k, definitions and the chain rule need no symbolic work.
A question may declare scalar variables (``z``, ``t``, ``a_2``): each point
draws a value for each, and a derivative with respect to a variable or to a
defined scalar (``a = \\sigma(z)``) perturbs that value.
Every evaluation counts operations and checks a deadline, so adversarial input
cannot hang the grader.
"""
from __future__ import annotations

import math
import random
import time
from dataclasses import dataclass, field
from typing import Any, Callable

import sympy as sp

from graders.i18n import _

from .errors import EvalError
from .notation import parameter_values
from .parser import N, INDEX_LETTERS, base, index_symbol

RESERVED = ("x", "y", "g", "t")
FD_STEP = 1e-5
MAX_OPS = 2_000_000

Env = dict  # Symbol -> int
Fn = Callable[[Env], float]


class EvalTimeout(EvalError):
    """The evaluation ran past its deadline."""


def free_indices(e: sp.Basic) -> set[sp.Symbol]:
    """Index symbols (i, j, ...) that are not bound by a sum."""
    if isinstance(e, sp.Symbol):
        return {e} if e.name in INDEX_LETTERS and e == index_symbol(e.name) else set()
    if isinstance(e, sp.Sum):
        out = free_indices(e.function)
        for lim in e.limits:
            out.discard(lim[0])
            for b in lim[1:]:
                out |= free_indices(b)
        return out
    if isinstance(e, sp.Indexed):
        return set().union(*(free_indices(a) for a in e.indices))
    if isinstance(e, sp.Derivative):
        out = free_indices(e.expr)
        for v in e.variables:
            out |= free_indices(v)
        return out
    out: set[sp.Symbol] = set()
    for a in e.args:
        out |= free_indices(a)
    return out


def is_scalar_name(e: sp.Basic) -> bool:
    """A scalar quantity: a plain symbol (a, z, L) or a vector entry at a fixed position (a_2)."""
    if isinstance(e, sp.Symbol):
        return e.name not in ("e", "n") and not e.is_integer
    return isinstance(e, sp.Indexed) and all(isinstance(i, sp.Integer) for i in e.indices)


@dataclass
class Point:
    """Random data for one vector size n (1-based access via helpers), and the scalar variables."""

    n: int
    x: list[float]
    g: list[float]
    t: list[float]
    scalars: dict[sp.Expr, float] = field(default_factory=dict)
    y: list[float] | None = None  # set: y drawn freely, not softmax(x) (comparing forms, not values)

    @staticmethod
    def draw(n: int, rng: random.Random, variables: tuple[sp.Expr, ...] = ()) -> "Point":
        x = [rng.uniform(-1.5, 1.5) for _ in range(n)]
        g = [rng.uniform(-1.0, 1.0) for _ in range(n)]
        w = [rng.uniform(0.1, 1.0) for _ in range(n)]
        s = sum(w)
        scalars = {v: rng.uniform(-2.0, 2.0) for v in variables}
        return Point(n, x, g, [v / s for v in w], scalars)

    @staticmethod
    def draw_free(n: int, rng: random.Random, variables: tuple[sp.Expr, ...] = ()) -> "Point":
        """A point where y is not softmax(x) and t does not sum to 1.

        Why: two steps equal there are the same *form* (y_i(d_ij - y_j) and
        y_i d_ij - y_i y_j), while the quotient rule in x is a different one.
        """
        p = Point.draw(n, rng, variables)
        return Point(n, p.x, p.g, [rng.uniform(0.1, 1.0) for _ in range(n)], p.scalars,
                     [rng.uniform(0.05, 0.9) for _ in range(n)])


def softmax(x: list[float]) -> list[float]:
    m = max(x)
    e = [math.exp(v - m) for v in x]
    s = sum(e)
    return [v / s for v in e]


@dataclass
class Definitions:
    """Student/key definitions: scalars ``L = ...`` / ``a_2 = ...`` and vectors ``z_i = ...``."""

    scalars: dict[sp.Symbol, sp.Expr] = field(default_factory=dict)
    vectors: dict[str, tuple[sp.Symbol, sp.Expr]] = field(default_factory=dict)

    def copy(self) -> "Definitions":
        return Definitions(dict(self.scalars), dict(self.vectors))

    def add(self, lhs: sp.Expr, rhs: sp.Expr) -> None:
        if is_scalar_name(lhs):
            self.scalars[lhs] = rhs
        elif isinstance(lhs, sp.Indexed) and isinstance(lhs.indices[0], sp.Symbol):
            self.vectors[lhs.base.label.name] = (lhs.indices[0], rhs)
        else:
            raise EvalError(_("cannot define {lhs}").format(lhs=lhs))

    def unevaluated(self, e: sp.Expr) -> bool:
        """Does ``e`` hold a derivative, written out or through a name defined as one?

        Why: \\delta = \\frac{\\partial L}{\\partial z_2} lets a student write \\delta for the quantity,
        and an answer "\\delta" restates the question; it is no closed form.
        """
        if e.has(sp.Derivative):
            return True
        if any(e.has(s) for s, rhs in self.scalars.items() if rhs.has(sp.Derivative)):
            return True
        vectors = {name for name, (_sym, body) in self.vectors.items() if body.has(sp.Derivative)}
        return any(a.base.label.name in vectors for a in e.atoms(sp.Indexed))

    def names_of(self, quantity: sp.Expr | None) -> set[sp.Expr]:
        """The scalar names defined as ``quantity`` itself (\\delta for \\frac{\\partial L}{\\partial z_2})."""
        if quantity is None:
            return set()
        return {s for s, rhs in self.scalars.items() if rhs == quantity}

    def defines(self, lhs: sp.Expr) -> bool:
        if is_scalar_name(lhs):
            return lhs in self.scalars
        if isinstance(lhs, sp.Indexed):
            return lhs.base.label.name in self.vectors
        return False


_DEFAULT_L = sp.Sum(base("g")[index_symbol("k")] * base("y")[index_symbol("k")],
                    (index_symbol("k"), 1, N))
L_SYMBOL = sp.Symbol("L")


class Evaluator:
    """Evaluates compiled expressions at one Point.

    ``L`` defaults to sum_k g_k y_k (so dL/dy_i = g_i, the upstream gradient)
    when no definition of L is given; y is softmax(x) unless a definition
    gives it (batch normalisation: y_i = \\gamma\\hat{x}_i + \\beta).
    \\gamma, \\beta and \\epsilon (> 0) have a value at every point (notation.py).
    """

    def __init__(self, point: Point, defs: Definitions | None = None,
                 deadline: float | None = None) -> None:
        self.p = point
        self.n = point.n
        self.vec = {"x": list(point.x), "g": list(point.g), "t": list(point.t)}
        self.vals = dict(point.scalars)
        self.params = parameter_values(point.n, point.x)
        self._over: dict[sp.Expr, float] = {}  # scalars perturbed by a derivative
        self._entry_over: dict[tuple[str, int], float] = {}  # entries of defined vectors perturbed
        self.defs = defs or Definitions()
        self.deadline = deadline
        self.ops = 0
        self._y: list[float] | None = None
        self._y_override: list[float] | None = None
        self._cache: dict[sp.Basic, Fn] = {}
        self._defining: set[str] = set()

    # --- state
    def y(self) -> list[float]:
        if self._y_override is not None:
            return self._y_override
        if self._y is None:
            self._y = softmax(self.vec["x"]) if self.p.y is None else list(self.p.y)
        return self._y

    def _tick(self) -> None:
        self.ops += 1
        if self.ops % 2048 == 0:
            if self.ops > MAX_OPS:
                raise EvalError(_("expression too expensive to evaluate"))
            if self.deadline is not None and time.monotonic() > self.deadline:
                raise EvalTimeout(_("time limit reached while evaluating"))

    # --- public
    def value(self, expr: sp.Basic, env: Env | None = None) -> float:
        try:
            v = self.compile(expr)(env or {})
        except RecursionError:
            raise EvalError(_("expression nested too deeply")) from None
        except OverflowError:
            raise EvalError(_("number too large")) from None
        except ZeroDivisionError:
            raise EvalError(_("division by zero")) from None
        if isinstance(v, complex) or math.isnan(v) or math.isinf(v):
            raise EvalError(_("expression is not a finite real number here"))
        return v

    def compile(self, e: sp.Basic) -> Fn:
        fn = self._cache.get(e)
        if fn is None:
            fn = self._compile(e)
            self._cache[e] = fn
        return fn

    # --- compilation: one method per node type, chosen by COMPILERS
    def _compile(self, e: sp.Basic) -> Fn:
        """A closure computing ``e``: the first entry of COMPILERS whose type ``e`` has."""
        if e.is_Number:
            return self._number(e)
        if e is sp.E:
            return lambda env: math.e
        for kind, method in COMPILERS:
            if isinstance(e, kind):
                return method(self, e)
        raise EvalError(_("cannot evaluate {kind}").format(kind=type(e).__name__))

    def _number(self, e: sp.Number) -> Fn:
        if not e.is_real:
            raise EvalError(_("complex number"))
        c = float(e)
        return lambda env: c

    def _add(self, e: sp.Add) -> Fn:
        tick = self._tick
        fs = [self.compile(a) for a in e.args]

        def add(env: Env) -> float:
            tick()
            return sum(f(env) for f in fs)
        return add

    def _mul(self, e: sp.Mul) -> Fn:
        tick = self._tick
        fs = [self.compile(a) for a in e.args]

        def mul(env: Env) -> float:
            tick()
            r = 1.0
            for f in fs:
                r *= f(env)
            return r
        return mul

    def _pow(self, e: sp.Pow) -> Fn:
        tick = self._tick
        fb, fx = self.compile(e.base), self.compile(e.exp)

        def pw(env: Env) -> float:
            tick()
            b, x = fb(env), fx(env)
            if b < 0 and x != int(x):
                raise EvalError(_("negative number to a fractional power"))
            if b == 0 and x < 0:
                raise EvalError(_("division by zero"))
            r = b ** x
            if isinstance(r, complex):
                raise EvalError(_("complex result"))
            return r
        return pw

    def _exp(self, e: sp.exp) -> Fn:
        tick = self._tick
        f = self.compile(e.args[0])

        def ex(env: Env) -> float:
            tick()
            return math.exp(f(env))
        return ex

    def _log(self, e: sp.log) -> Fn:
        tick = self._tick
        f = self.compile(e.args[0])

        def lg(env: Env) -> float:
            tick()
            v = f(env)
            if v <= 0:
                raise EvalError(_("log of a non-positive number"))
            return math.log(v)
        return lg

    def _tanh(self, e: sp.tanh) -> Fn:
        tick = self._tick
        f = self.compile(e.args[0])

        def th(env: Env) -> float:
            tick()
            return math.tanh(f(env))
        return th

    def _delta(self, e: sp.KroneckerDelta) -> Fn:
        fa, fb = self.compile(e.args[0]), self.compile(e.args[1])
        return lambda env: 1.0 if fa(env) == fb(env) else 0.0

    def _symbol(self, s: sp.Symbol) -> Fn:
        if s == N:
            n = float(self.n)
            return lambda env: n
        if s.name in INDEX_LETTERS and s == index_symbol(s.name):
            def idx(env: Env) -> float:
                if s not in env:
                    raise EvalError(_("index {index} is not bound (sum over it or use a free index)").format(index=s))
                return float(env[s])
            return idx
        if s in self.vals or s in self.defs.scalars or s == L_SYMBOL or s in self.params:
            return self._scalar(s)
        known = sorted({show(v) for v in (*self.vals, *self.defs.scalars)})
        if known:
            raise EvalError(_("unknown symbol '{name}' (this question uses {known})").format(
                name=s.name, known=", ".join(known)))
        raise EvalError(_("unknown symbol '{name}'").format(name=s.name))

    def _scalar(self, s: sp.Expr) -> Fn:
        """A scalar's value: perturbed by a derivative, else drawn, else its definition."""
        body = self.defs.scalars.get(s, _DEFAULT_L)
        name = sp.sstr(s)

        def value(env: Env) -> float:
            if s in self._over:
                return self._over[s]
            if s in self.vals:
                return self.vals[s]
            if s in self.params:
                return self.params[s]
            if name in self._defining:
                raise EvalError(_("circular definition of {name}").format(name=name))
            self._defining.add(name)
            try:
                return self.compile(body)({})
            finally:
                self._defining.discard(name)
        return value

    def _position(self, f_idx: Fn, env: Env, what: str) -> int:
        v = f_idx(env)
        k = int(v)
        if k != v or not 1 <= k <= self.n:
            raise EvalError(_("index {index} of {what} is outside 1..{n}").format(index=format(v, "g"), what=what, n=self.n))
        return k

    def _indexed(self, e: sp.Indexed) -> Fn:
        if e in self.vals or e in self.defs.scalars:
            return self._scalar(e)
        name = e.base.label.name
        fi = self.compile(e.indices[0])
        pos = self._position
        if name in self.defs.vectors:
            return self._defined_entry(name, fi)
        if name == "y":
            return lambda env: self.y()[pos(fi, env, "y") - 1]
        if name in self.vec:
            vec = self.vec[name]
            return lambda env: vec[pos(fi, env, name) - 1]
        raise EvalError(_("unknown quantity '{name}'").format(name=f"{name}_{e.indices[0]}"))

    def _defined_entry(self, name: str, fi: Fn) -> Fn:
        """An entry of a defined vector (z_i = ..., \\hat{x}_i = ...): perturbed by a derivative, else its definition."""
        sym, body = self.defs.vectors[name]

        def defined(env: Env) -> float:
            k = self._position(fi, env, name)
            if (name, k) in self._entry_over:
                return self._entry_over[(name, k)]
            if name in self._defining:
                raise EvalError(_("circular definition of {name}").format(name=name))
            self._defining.add(name)
            try:
                return self.compile(body)({sym: k})
            finally:
                self._defining.discard(name)
        return defined

    def _sum(self, e: sp.Sum) -> Fn:
        f = self.compile(e.function)
        limits = [(k, self.compile(lo), self.compile(hi)) for k, lo, hi in e.limits]
        limit = 4 * self.n + 10

        def sm(env: Env) -> float:
            def rec(level: int, env: Env) -> float:
                if level == len(limits):
                    return f(env)
                k, flo, fhi = limits[level]
                lo, hi = flo(env), fhi(env)
                if lo != int(lo) or hi != int(hi) or hi - lo > limit:
                    raise EvalError(_("sum bounds must be integers within 1..n"))
                total = 0.0
                for v in range(int(lo), int(hi) + 1):
                    self._tick()
                    total += rec(level + 1, {**env, k: v})
                return total
            return rec(0, env)
        return sm

    def _derivative(self, e: sp.Derivative) -> Fn:
        if len(e.variables) != 1:
            raise EvalError(_("only first derivatives are supported"))
        var = e.variables[0]
        if var in self.vals or var in self.defs.scalars or var == L_SYMBOL or var in self.params:
            return self._scalar_derivative(self.compile(e.expr), var)
        if isinstance(var, sp.Indexed) and var.base.label.name in self.defs.vectors:
            return self._entry_derivative(self.compile(e.expr), var)
        if not (isinstance(var, sp.Indexed) and var.base.label.name in ("x", "y", "g", "t")):
            raise EvalError(_("cannot differentiate with respect to {var}").format(var=var))
        name = var.base.label.name
        f = self.compile(e.expr)
        fi = self.compile(var.indices[0])

        def deriv(env: Env) -> float:
            k = self._position(fi, env, name) - 1
            return self._central(f, env, name, k)
        return deriv

    def _scalar_derivative(self, f: Fn, var: sp.Expr) -> Fn:
        """d f / d var by a central difference, holding every other input fixed."""
        fv = self._scalar(var)

        def deriv(env: Env) -> float:
            v = fv({})
            h = FD_STEP * max(1.0, abs(v))
            saved = self._over.get(var)
            vals = []
            try:
                for s in (1, -1):
                    self._over[var] = v + s * h
                    vals.append(f(env))
            finally:
                if saved is None:
                    self._over.pop(var, None)
                else:
                    self._over[var] = saved
            return (vals[0] - vals[1]) / (2 * h)
        return deriv

    def _entry_derivative(self, f: Fn, var: sp.Indexed) -> Fn:
        """d f / d z_k for a defined vector z: perturb that entry alone, holding what defines it fixed.

        Why: dL/d\\hat{x}_j is the upstream gradient at \\hat{x}_j, as in a computation graph.
        """
        name = var.base.label.name
        fi, fz = self.compile(var.indices[0]), self.compile(var)

        def deriv(env: Env) -> float:
            key = (name, self._position(fi, env, name))
            v = fz(env)
            h = FD_STEP * max(1.0, abs(v))
            saved = self._entry_over.get(key)
            vals = []
            try:
                for s in (1, -1):
                    self._entry_over[key] = v + s * h
                    vals.append(f(env))
            finally:
                if saved is None:
                    self._entry_over.pop(key, None)
                else:
                    self._entry_over[key] = saved
            return (vals[0] - vals[1]) / (2 * h)
        return deriv

    def _central(self, f: Fn, env: Env, name: str, k: int) -> float:
        if name == "y":
            saved_override = self._y_override
            yv = list(self.y())
            h = FD_STEP * max(1.0, abs(yv[k]))
            vals = []
            for s in (1, -1):
                y2 = list(yv)
                y2[k] += s * h
                self._y_override = y2
                try:
                    vals.append(f(env))
                finally:
                    self._y_override = saved_override
            return (vals[0] - vals[1]) / (2 * h)
        vec = self.vec[name]
        old = vec[k]
        h = FD_STEP * max(1.0, abs(old))
        vals = []
        saved_y = self._y
        try:
            for s in (1, -1):
                vec[k] = old + s * h
                self._y = None
                vals.append(f(env))
        finally:
            vec[k] = old
            self._y = saved_y
        return (vals[0] - vals[1]) / (2 * h)


# node type -> compiler, in the order they are tried (first isinstance match wins)
COMPILERS: tuple[tuple[type, Callable[[Evaluator, Any], Fn]], ...] = (
    (sp.Symbol, Evaluator._symbol),
    (sp.Indexed, Evaluator._indexed),
    (sp.Add, Evaluator._add),
    (sp.Mul, Evaluator._mul),
    (sp.Pow, Evaluator._pow),
    (sp.exp, Evaluator._exp),
    (sp.log, Evaluator._log),
    (sp.tanh, Evaluator._tanh),
    (sp.KroneckerDelta, Evaluator._delta),
    (sp.Sum, Evaluator._sum),
    (sp.Derivative, Evaluator._derivative),
)

def close(a: float, b: float, rtol: float = 1e-6, atol: float = 1e-7) -> bool:
    return abs(a - b) <= atol + rtol * max(abs(a), abs(b))


def fmt(v: float) -> str:
    return f"{v:.4g}"


def show(e: sp.Expr) -> str:
    """A scalar name as a student writes it: a_2 rather than sympy's a[2]."""
    if isinstance(e, sp.Indexed):
        return f"{e.base.label.name}_{','.join(str(i) for i in e.indices)}"
    return sp.sstr(e)
