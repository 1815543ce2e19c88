"""Milestones of a derivation: which intermediate results a chain shows, and how big its steps are.

A consistent chain can still derive nothing (it restates the answer) or jump
from the definition to the answer; a careful TA gives such work little credit
and names the missing step. The key lists the results a real derivation passes
through (Milestone); this module finds them among the chain's checked steps.
Pure: parsed steps in, a MilestoneReport out.
"""
from __future__ import annotations

import itertools
import random
from collections import Counter
from dataclasses import dataclass
from typing import Iterable

import sympy as sp

from .equivalence import compare, match_lhs, parse_trusted
from .errors import EvalError
from .evaluate import Definitions, Point, free_indices
from .key import Key, Milestone
from .parser import parse_trusted_quantity

RESTATED_CAP = 0.25
ONE_JUMP_CAP = 0.5


@dataclass(frozen=True)
class ChainStep:
    """One checked step: ``before = after`` in the chain that starts at ``start`` (None: after a definition)."""

    number: int
    line: int
    ok: bool
    start: sp.Expr | None
    before: sp.Expr
    after: sp.Expr


@dataclass(frozen=True)
class MilestoneReport:
    """What a chain shows.

    reached: milestone name -> the first step that reaches it.
    shape: "restated" (every step of the chain deriving the quantity is already
    the answer), "one_jump" (the answer comes in one step, with no milestone
    before it), or "shown".
    large_steps: (step number, line, how many milestones it skips) for each
    valid step that skips more than one.
    """

    reached: dict[str, int]
    missing: tuple[Milestone, ...]
    shape: str
    large_steps: tuple[tuple[int, int, int], ...]
    jump: tuple[int, int] | None = None  # (step, line) of the one jump


def free_points(sizes: Iterable[int], seed: int, variables: tuple[sp.Expr, ...] = ()) -> list[Point]:
    """Points where y and t are free, so equal *forms* compare equal, not merely equal values."""
    rng = random.Random(seed + 7919)
    return [Point.draw_free(n, rng, variables) for n in sizes]


class MilestoneFinder:
    """Finds a key's milestones among a chain's steps.

    Why a class: every question asked of a step needs the same context (the
    quantity, the free points, the chain's definitions, the deadline).
    """

    def __init__(self, key: Key, quantity: sp.Expr | None, pts: list[Point], defs: Definitions,
                 key_defs: Definitions, deadline: float) -> None:
        self.key, self.q, self.pts, self.defs, self.key_defs = key, quantity, pts, defs, key_defs
        self.deadline = deadline
        self.answer = parse_trusted(key.expr_latex)
        self.targets = [(m, parse_trusted(m.expr_latex),
                         parse_trusted_quantity(m.quantity_latex) if m.quantity_latex else None)
                        for m in key.milestones]

    # --- one step
    def same_form(self, expected: sp.Expr, step: ChainStep, quantity: sp.Expr | None) -> bool:
        """Is the step's result the same form as ``expected`` (y, t drawn freely)?"""
        if self.key_defs.unevaluated(step.after):
            return False
        ren = match_lhs(step.start, quantity) if (step.start is not None and quantity is not None) else {}
        got = step.after.xreplace(ren) if ren else step.after
        indices = free_indices(expected) | (free_indices(quantity) if quantity is not None else set())
        try:
            return compare(expected, got, pts=self.pts, defs_expected=self.key_defs, defs_got=self.defs,
                           indices=indices, deadline=self.deadline) is None
        except EvalError:
            return False

    def is_answer(self, step: ChainStep) -> bool:
        return self.same_form(self.answer, step, self.q)

    def reaches(self, target: tuple[Milestone, sp.Expr, sp.Expr | None], step: ChainStep) -> bool:
        """Does a valid step reach a milestone (see Milestone for the three kinds)?"""
        _m, expr, quantity = target
        if not step.ok:
            return False
        if quantity is not None:
            return self._evaluates(quantity, step) or shows_factor(expr, step.after) or (
                step.start is not None and match_lhs(step.start, quantity) is not None
                and self.same_form(expr, step, quantity))
        if expr.has(sp.Derivative):
            return expr.atoms(sp.Derivative) <= step.after.atoms(sp.Derivative)
        return self.same_form(expr, step, self.q)

    @staticmethod
    def _evaluates(quantity: sp.Expr, step: ChainStep) -> bool:
        """The step where the derivative ``quantity`` (up to index names) disappears from the chain."""
        def has_it(e: sp.Expr) -> bool:
            return any(match_lhs(d, quantity) is not None for d in e.atoms(sp.Derivative))
        return has_it(step.before) and not has_it(step.after)

    # --- the chain
    def report(self, steps: list[ChainStep]) -> MilestoneReport:
        """Milestones reached, the chain's shape, and its too-large steps."""
        reached: dict[str, int] = {}
        large: list[tuple[int, int, int]] = []
        pos = -1  # the furthest milestone reached so far (len(targets): the answer)
        for step in steps:
            now = [k for k, t in enumerate(self.targets) if t[0].name not in reached and self.reaches(t, step)]
            furthest = self._furthest(now, step)
            skipped = sum(1 for k in range(pos + 1, furthest) if self.targets[k][0].name not in reached and k not in now)
            if step.ok and skipped > 1:
                large.append((step.number, step.line, skipped))
            pos = max(pos, furthest)
            reached.update({self.targets[k][0].name: step.number for k in now})
        missing = tuple(t[0] for t in self.targets if t[0].name not in reached)
        shape, jump = self._shape(steps, reached)
        return MilestoneReport(reached, missing, shape, tuple(large), jump)

    def _furthest(self, now: list[int], step: ChainStep) -> int:
        """The furthest milestone a step reaches (len(targets) for the answer itself, -1 for none)."""
        if step.ok and self._in_quantity_chain(step) and self.is_answer(step):
            return len(self.targets)
        return max(now) if now else -1

    def _in_quantity_chain(self, step: ChainStep) -> bool:
        return step.start is not None and self.q is not None and match_lhs(step.start, self.q) is not None

    def _shape(self, steps: list[ChainStep], reached: dict[str, int]) -> tuple[str, tuple[int, int] | None]:
        """"restated", "one_jump" (with the jumping step) or "shown"."""
        mine = [s for s in steps if self._in_quantity_chain(s)]
        if not mine:
            return "shown", None
        answers = [s for s in mine if s.ok and self.is_answer(s)]
        if len(answers) == len(mine):
            return "restated", None
        if not answers:
            return "shown", None
        first = answers[0]
        before = [n for n in reached.values() if n < first.number]
        if not before and all(s.after.has(sp.Derivative) for s in mine if s.number < first.number):
            return "one_jump", (first.number, first.line)
        return "shown", None


def shows_factor(expr: sp.Expr, step: sp.Expr) -> bool:
    """Does a product in ``step`` have ``expr``'s factors (up to index names)?

    Why: ``-\\sum_k \\frac{t_k}{y_k}\\frac{\\partial y_k}{\\partial x_j}`` shows
    dL/dy_k = -t_k/y_k evaluated without ever writing dL/dy_k. Numbers (the
    sign) are left out: the step's consistency is checked on its own.
    """
    wanted = _factors(expr)
    if not wanted:
        return False
    names = sorted(free_indices(expr), key=str)
    for node in [step, *step.find(sp.Mul)]:
        have = _factors(node)
        for perm in itertools.permutations(sorted(free_indices(node), key=str), len(names)):
            ren = dict(zip(names, perm))
            if all(have[f.xreplace(ren)] >= c for f, c in wanted.items()):
                return True
    return False


def _factors(e: sp.Expr) -> Counter:
    return Counter(f for f in sp.Mul.make_args(e) if not f.is_Number)


def weights(key: Key) -> tuple[float, float]:
    """(consistency weight, total milestone weight) of a key."""
    total = sum(m.weight for m in key.milestones)
    return (key.consistency_weight if key.consistency_weight is not None else total), total


def credit(key: Key, consistency: float, report: MilestoneReport) -> float:
    """Share of a chain's points: consistency and milestones reached, capped for a restated answer or one jump."""
    w_c, w_m = weights(key)
    got = sum(m.weight for m in key.milestones if m.name in report.reached)
    fraction = (w_c * consistency + got) / (w_c + w_m) if (w_c + w_m) > 0 else consistency
    cap = {"restated": RESTATED_CAP, "one_jump": ONE_JUMP_CAP}.get(report.shape, 1.0)
    return min(fraction, cap)
