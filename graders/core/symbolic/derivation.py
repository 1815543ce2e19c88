"""Check a derivation chain step by step.

Lines of a ``derivation`` block:
  * ``A = B`` where A is a new symbol (``y_i``, ``L``, ``S``, ``a_2``) defines it;
    the given quantities (the key's declared variables, else x, y, g, t) may be
    "defined" only consistently with the problem (y = softmax(x)), otherwise
    that line is an invalid step;
  * ``A = B [= C ...]`` where A is a derivative (or any other expression)
    starts a chain: each further side is a step that must equal the previous
    one (the first must equal A, which is evaluated as a derivative);
  * ``= C`` continues the current chain.
Steps are compared numerically exactly as answers are (evaluate.py).  Lines
without '=' are ignored (prose, or a wrapped expression) and listed in
``detail["ignored_lines"]``.
"""
from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from typing import Any

import sympy as sp

from graders.i18n import _

from .equivalence import SideError, _key_parts, _match_lhs, compare, key_variables, points
from .key import Key
from .errors import EvalError, ParseError
from .evaluate import RESERVED, EvalTimeout, free_indices, is_scalar_name
from .parser import parse_line, parse_trusted_quantity

MAX_PARTIAL = 0.75
_SKIP = re.compile(r"^(\$\$|\\\[|\\\]|\\begin\{(align|aligned|align\*|equation|equation\*|gather|gather\*)\}|"
                   r"\\end\{(align|aligned|align\*|equation|equation\*|gather|gather\*)\})$")


@dataclass(frozen=True)
class StepResult:
    """One checked equality: step number (1-based), markdown line, verdict."""

    number: int
    line: int
    ok: bool
    message: str


@dataclass(frozen=True)
class DerivationVerdict:
    """Result of a derivation check.

    status: "valid" (all steps follow and the last reaches the key: equal to
    it, free of derivatives, and written with the key's quantities, e.g. in y
    rather than e^{x}),
    "incomplete" (all steps follow, key not reached), "invalid",
    "unparseable" (first bad step is a line that cannot be read), "timeout".
    fraction: 1.0 for a complete valid chain, else
    min(0.75, valid_prefix / steps).
    """

    status: str
    message: str
    steps: int
    valid_prefix: int
    first_invalid_step: int | None
    first_invalid_line: int | None
    reaches_key: bool
    fraction: float
    results: tuple[StepResult, ...] = ()
    detail: dict[str, Any] = field(default_factory=dict)


@dataclass
class _Line:
    lineno: int
    text: str
    kind: str = ""
    sides: list = field(default_factory=list)
    error: ParseError | None = None


def _clean(raw: str) -> str:
    s = raw.strip()
    s = re.sub(r"\\\\\s*$", "", s).strip()        # trailing \\ of align rows
    s = re.sub(r"^&\s*", "", s)                   # leading &
    s = re.sub(r"&\s*=", "=", s)                  # &= alignment
    s = re.sub(r"[.,;]\s*$", "", s).strip()       # trailing punctuation
    s = s.strip("$").strip()
    return s


def _split_lines(text: str, first_line: int) -> list[_Line]:
    out: list[_Line] = []
    pending: _Line | None = None
    for k, raw in enumerate(text.splitlines()):
        s = _clean(raw)
        if pending is not None:  # a \begin{cases} spanning lines
            pending.text += " " + raw.strip()
            if "\\end{cases}" in raw:
                pending.text = _clean(pending.text)
                out.append(pending)
                pending = None
            continue
        if not s or _SKIP.match(s):
            continue
        ln = _Line(first_line + k, s)
        if "\\begin{cases}" in s and "\\end{cases}" not in s:
            ln.text = raw.strip()
            pending = ln
            continue
        out.append(ln)
    if pending is not None:
        out.append(pending)
    return out


def _is_name(e: sp.Expr) -> bool:
    return is_scalar_name(e) or (isinstance(e, sp.Indexed) and isinstance(e.indices[0], sp.Symbol))


def _is_given(e: sp.Expr, variables: tuple[sp.Expr, ...]) -> bool:
    """A quantity of the problem (a declared variable, else x, y, g, t), not a new name."""
    if variables:  # a question in declared scalars: x, y, g, t are free names there
        return e in variables
    return _name_of(e) in RESERVED


def _vectors(e: sp.Expr) -> set[str]:
    """Names of the vectors (x, y, g, t, ...) an expression uses."""
    return {a.base.label.name for a in e.atoms(sp.Indexed)}


def _name_of(e: sp.Expr) -> str:
    return e.name if isinstance(e, sp.Symbol) else e.base.label.name


def check_derivation(text: str, key: Key | str, *, quantity: str | None = None,
                     seed: int = 0, sizes: tuple[int, ...] = (2, 3, 5),
                     time_limit_s: float = 5.0, first_line: int = 1) -> DerivationVerdict:
    """Check every '=' step of a derivation block against the previous one.

    ``quantity`` (LaTeX) defaults to the key's quantity; ``first_line`` is the
    markdown line of the block's first line (Block.line), used in messages.
    """
    deadline = time.monotonic() + time_limit_s
    key_expr, key_quantity, key_defs, _hints = _key_parts(key)
    q = parse_trusted_quantity(quantity) if quantity is not None else key_quantity
    variables = key_variables(key)
    pts = points(sizes, seed, variables)
    lines = _split_lines(text, first_line)
    ignored: list[int] = []
    for ln in lines:
        if "=" not in ln.text.replace("\\neq", ""):
            ignored.append(ln.lineno)
            continue
        try:
            ln.kind, ln.sides = parse_line(ln.text)
        except ParseError as e:
            ln.error = e
        else:
            if ln.kind == "line" and len(ln.sides) == 1:  # '=' only inside cases
                ignored.append(ln.lineno)
    lines = [ln for ln in lines if ln.lineno not in ignored]

    defs = key_defs.copy()
    results: list[StepResult] = []
    first_bad: StepResult | None = None
    bad_status = "invalid"
    chain_value: sp.Expr | None = None
    chain_start: sp.Expr | None = None
    last_chain: tuple[sp.Expr | None, sp.Expr | None] = (None, None)
    quantity_chain: tuple[sp.Expr | None, sp.Expr | None] = (None, None)

    def close_chain() -> None:
        nonlocal last_chain, quantity_chain
        last_chain = (chain_start, chain_value)
        if chain_start is not None and q is not None and _match_lhs(chain_start, q) is not None:
            quantity_chain = last_chain
    step_no = 0
    timed_out = False

    prev_desc = _("the left-hand side")

    def record(res: StepResult) -> None:
        nonlocal first_bad
        results.append(res)
        if not res.ok and first_bad is None:
            first_bad = res

    def check(prev: sp.Expr, new: sp.Expr, line: int) -> None:
        nonlocal step_no, timed_out, prev_desc
        step_no += 1
        head = _("step {step} (line {line})").format(step=step_no, line=line)
        if timed_out:
            res = StepResult(step_no, line, False, _("{step} not checked: time limit").format(step=head))
        else:
            try:
                diff = compare(prev, new, pts=pts, defs_expected=defs, deadline=deadline)
                if diff is None:
                    res = StepResult(step_no, line, True, "ok")
                else:
                    res = StepResult(step_no, line, False,
                                     _("{step} does not follow from {previous}: {difference}").format(
                                         step=head, previous=prev_desc, difference=diff.describe()))
            except EvalTimeout:
                timed_out = True
                res = StepResult(step_no, line, False, _("{step} not checked: time limit").format(step=head))
            except SideError as e:
                res = StepResult(step_no, line, False, _("{step} cannot be evaluated: {error}").format(
                    step=head, error=e.err))
        record(res)
        prev_desc = _("step {step}").format(step=step_no)

    for ln in lines:
        if ln.error is not None:
            step_no += 1
            res = StepResult(step_no, ln.lineno + ln.error.line - 1, False,
                             _("step {step} (line {line}) cannot be read: column {column}: {error}").format(
                                 step=step_no, line=ln.lineno + ln.error.line - 1, column=ln.error.column,
                                 error=ln.error.message))
            if first_bad is None:
                bad_status = "unparseable"
            record(res)
            chain_value = None
            continue
        sides = ln.sides
        if ln.kind == "cont":
            if chain_value is None:
                step_no += 1
                record(StepResult(step_no, ln.lineno, False,
                                  _("step {step} (line {line}) continues a chain that has not started").format(
                                      step=step_no, line=ln.lineno)))
                continue
            for s in sides:
                check(chain_value, s, ln.lineno)
                chain_value = s
            close_chain()
            continue
        lhs, rest = sides[0], sides[1:]
        if _is_name(lhs):
            name = _name_of(lhs)
            given = _is_given(lhs, variables)
            if given or defs.defines(lhs):
                # a given quantity: restating it is fine (not a step); a
                # definition inconsistent with the problem is an invalid step
                try:
                    same = compare(lhs, rest[0], pts=pts, defs_expected=defs, deadline=deadline) is None
                except EvalError:
                    same = False
                if not same:
                    prev_desc = (_("the problem's {name}") if given
                                 else _("the earlier definition of {name}")).format(name=name)
                    check(lhs, rest[0], ln.lineno)
            else:
                try:
                    defs.add(lhs, rest[0])
                except EvalError as e:
                    step_no += 1
                    record(StepResult(step_no, ln.lineno, False, _("step {step} (line {line}): {error}").format(
                        step=step_no, line=ln.lineno, error=e)))
                    continue
            chain_start, chain_value = None, rest[0]
            prev_desc = _("the definition of {name} (line {line})").format(name=name, line=ln.lineno)
            rest = rest[1:]
        else:
            if chain_value is not None and lhs == chain_value:
                pass  # "previous = next" style: the chain goes on
            elif chain_value is not None and not isinstance(lhs, sp.Derivative):
                check(chain_value, lhs, ln.lineno)
            else:
                chain_start = lhs
                prev_desc = _("the left-hand side")
            chain_value = lhs
        for s in rest:
            check(chain_value, s, ln.lineno)
            chain_value = s
        if rest or chain_start is not None:
            close_chain()

    total = step_no
    valid_prefix = 0
    for r in results:
        if not r.ok:
            break
        valid_prefix += 1
    # the answer is the end of the last chain that derives the quantity
    start, final = quantity_chain if quantity_chain[1] is not None else last_chain
    reaches = False
    key_message = ""
    if final is not None and first_bad is None and not timed_out:
        ren = _match_lhs(start, q) if (start is not None and q is not None) else {}
        final_cmp = final.xreplace(ren) if ren else final
        try:
            diff = compare(key_expr, final_cmp, pts=pts, defs_expected=key_defs, defs_got=defs,
                           indices=free_indices(key_expr) | (free_indices(q) if q is not None else set()),
                           deadline=deadline)
            extra = _vectors(final_cmp) - _vectors(key_expr)
            reaches = diff is None and not final_cmp.has(sp.Derivative) and not extra
            if diff is not None:
                key_message = _("the last step does not equal the answer: {difference}").format(
                    difference=diff.describe())
            elif final_cmp.has(sp.Derivative):
                key_message = _("the last step still contains a derivative")
            elif extra:
                key_message = _("the last step is not yet in the form asked for (it still uses {extra}; "
                                "write it in terms of {wanted})").format(
                    extra=", ".join(sorted(extra)), wanted=", ".join(sorted(_vectors(key_expr))))
        except EvalTimeout:
            timed_out = True
        except SideError as e:
            key_message = _("the last step cannot be compared with the answer: {error}").format(error=e.err)
    detail: dict[str, Any] = {"ignored_lines": ignored}
    if timed_out and first_bad is None:
        return DerivationVerdict("timeout", _("the derivation check ran out of time"), total, valid_prefix,
                                 None, None, False, 0.0, tuple(results), detail)
    if total == 0:
        return DerivationVerdict("invalid", _("no steps found (write lines like '= ...')"), 0, 0, None, None,
                                 False, 0.0, tuple(results), detail)
    if first_bad is None and reaches:
        return DerivationVerdict("valid", _("all {total} steps follow and the last equals the answer").format(total=total), total,
                                 total, None, None, True, 1.0, tuple(results), detail)
    fraction = min(MAX_PARTIAL, valid_prefix / total)
    if first_bad is None:
        msg = _("all {total} steps follow, but {problem}").format(
            total=total, problem=key_message or _("the chain does not reach the answer"))
        return DerivationVerdict("incomplete", msg, total, total, None, None, False, fraction,
                                 tuple(results), detail)
    return DerivationVerdict(bad_status, first_bad.message, total, valid_prefix, first_bad.number,
                             first_bad.line, False, fraction, tuple(results), detail)
