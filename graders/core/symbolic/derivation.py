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
``detail["ignored_lines"]``.  Commentary (``\\text{(quotient rule)}``,
``（代入 y_i）``, ``% ...``, ``\\because`` lines) is set apart first
(annotations.py) and kept in ``detail["commentary"]``; a prose line that still
cannot be read is a note (``notes``), not a failed step.  A key with milestones
grades what the chain shows as well (milestones.py).
"""
from __future__ import annotations

import re
import time
from dataclasses import dataclass, field, replace
from typing import Any

import sympy as sp

from graders.i18n import _

from .annotations import is_prose, split_commentary
from .equivalence import Difference, SideError, compare, key_parts, key_variables, match_lhs, points
from .key import Key
from .errors import EvalError, ParseError
from .evaluate import RESERVED, Definitions, EvalTimeout, Point, free_indices, is_scalar_name
from .notation import parameter_symbols
from .milestones import ChainStep, MilestoneFinder, MilestoneReport, credit, free_points
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
    "unparseable" (first bad step is a line that cannot be read), "timeout",
    "missing_steps" (all steps follow and reach the key, but the key's
    milestones are not all shown: a restated answer, a jump, a skipped result).
    fraction: 1.0 for a complete valid chain, else
    min(0.75, valid_prefix / steps); with milestones see milestones.credit.
    notes: lines not read (prose that is not commentary), reported but not failed.
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
    notes: tuple[str, ...] = ()


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
    for k, full in enumerate(text.splitlines()):
        raw = split_commentary(full).math
        s = _clean(raw)
        if pending is not None:  # a \begin{cases} spanning lines
            pending.text += " " + raw.strip()
            if "\\end{cases}" in raw:
                pending.text = _clean(pending.text)
                out.append(pending)
                pending = None
            continue
        if not s and full.strip() and not _SKIP.match(_clean(full)):
            out.append(_Line(first_line + k, ""))  # commentary only: listed among the ignored lines
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
    """A quantity of the problem (a declared variable, else x, y, g, t; and \\gamma, \\beta, \\epsilon), not a new name."""
    if e in parameter_symbols():
        return True
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
    key_expr, key_quantity, key_defs, _hints = key_parts(key)
    q = parse_trusted_quantity(quantity) if quantity is not None else key_quantity
    variables = key_variables(key)
    pts = points(sizes, seed, variables)
    lines, ignored, notes = _parse_lines(text, first_line)
    chain = _ChainChecker(q, variables, pts, key_defs.copy(), deadline)
    for ln in lines:
        chain.feed(ln)
    reaches, key_message = chain.reaches_key(key_expr, key_defs)
    detail = {"ignored_lines": ignored, "commentary": _commentary(text, first_line)}
    verdict = replace(_verdict(chain, reaches, key_message, detail), notes=tuple(notes))
    if not isinstance(key, Key) or not key.milestones or verdict.status in ("timeout",) or verdict.steps == 0:
        return verdict
    finder = MilestoneFinder(key, q, free_points(sizes, seed, variables), chain.defs, key_defs, deadline)
    return with_milestones(verdict, key, finder.report(chain.chain_steps))


def _commentary(text: str, first_line: int) -> list[tuple[int, str]]:
    """The notes set apart from each line (kept for display)."""
    out = []
    for k, raw in enumerate(text.splitlines()):
        note = split_commentary(raw).commentary
        if note:
            out.append((first_line + k, note))
    return out


def _parse_lines(text: str, first_line: int) -> tuple[list[_Line], list[int], list[str]]:
    """The lines holding an '=' step, parsed (or with their ParseError), the ignored line numbers, and notes.

    A prose line that cannot be read (``Let S be ... = ...``) is a note, not a
    step: the rest of the chain is checked as if it were not there.
    """
    lines = _split_lines(text, first_line)
    ignored: list[int] = []
    notes: list[str] = []
    for ln in lines:
        if "=" not in ln.text.replace("\\neq", ""):
            ignored.append(ln.lineno)
            continue
        try:
            ln.kind, ln.sides = parse_line(ln.text)
        except ParseError as e:
            if _is_prose_line(ln.text):
                ignored.append(ln.lineno)
                notes.append(_("line {line} was not read (neither mathematics nor a note): {error}").format(
                    line=ln.lineno + e.line - 1, error=e.message))
            else:
                ln.error = e
        else:
            if ln.kind == "line" and len(ln.sides) == 1:  # '=' only inside cases
                ignored.append(ln.lineno)
    return [ln for ln in lines if ln.lineno not in ignored], ignored, notes


def _is_prose_line(text: str) -> bool:
    """Words before any mathematics: a sentence, not a step (``= eval(1)`` is a step)."""
    head = text.lstrip("&").strip()
    return not head.startswith("=") and is_prose(head.split("=")[0])


class _ChainChecker:
    """Walks the lines of a derivation, checking each step against the one before.

    Why a class: a line's meaning depends on what came before (the current
    chain, the names defined so far, how to name the previous step in a message).
    """

    def __init__(self, q: sp.Expr | None, variables: tuple[sp.Expr, ...], pts: list[Point],
                 defs: Definitions, deadline: float) -> None:
        self.q, self.variables, self.pts, self.defs, self.deadline = q, variables, pts, defs, deadline
        self.quantity_names = defs.names_of(q)  # the key's names for the quantity (\delta): they head its chain
        self.results: list[StepResult] = []
        self.chain_steps: list[ChainStep] = []
        self.first_bad: StepResult | None = None
        self.bad_status = "invalid"
        self.chain_value: sp.Expr | None = None
        self.chain_start: sp.Expr | None = None
        self.last_chain: tuple[sp.Expr | None, sp.Expr | None] = (None, None)
        self.quantity_chain: tuple[sp.Expr | None, sp.Expr | None] = (None, None)
        self.step_no = 0
        self.timed_out = False
        self.prev_desc = _("the left-hand side")

    # --- bookkeeping
    def close_chain(self) -> None:
        """Remember the chain just ended (and, apart, the last one that derives the quantity)."""
        self.last_chain = (self.chain_start, self.chain_value)
        if self.chain_start is not None and self.q is not None and match_lhs(self.chain_start, self.q) is not None:
            self.quantity_chain = self.last_chain

    def record(self, res: StepResult) -> None:
        self.results.append(res)
        if not res.ok and self.first_bad is None:
            self.first_bad = res

    def fail(self, line: int, message: str) -> None:
        """Record a step that is wrong before anything is compared (its number is already counted)."""
        self.record(StepResult(self.step_no, line, False, message))

    def check(self, prev: sp.Expr, new: sp.Expr, line: int) -> None:
        """One step: ``new`` must equal ``prev``."""
        self.step_no += 1
        res = self._compare_step(prev, new, line)
        self.record(res)
        self.chain_steps.append(ChainStep(self.step_no, line, res.ok, self.chain_start, prev, new))
        self.prev_desc = _("step {step}").format(step=self.step_no)

    def _compare_step(self, prev: sp.Expr, new: sp.Expr, line: int) -> StepResult:
        step_no = self.step_no
        head = _("step {step} (line {line})").format(step=step_no, line=line)
        if self.timed_out:
            return StepResult(step_no, line, False, _("{step} not checked: time limit").format(step=head))
        try:
            diff = compare(prev, new, pts=self.pts, defs_expected=self.defs, deadline=self.deadline)
        except EvalTimeout:
            self.timed_out = True
            return StepResult(step_no, line, False, _("{step} not checked: time limit").format(step=head))
        except SideError as e:
            return StepResult(step_no, line, False, _("{step} cannot be evaluated: {error}").format(
                step=head, error=e.err))
        if diff is None:
            return StepResult(step_no, line, True, "ok")
        return StepResult(step_no, line, False, _("{step} does not follow from {previous}: {difference}").format(
            step=head, previous=self.prev_desc, difference=diff.describe()))

    def steps(self, sides: list[sp.Expr], line: int) -> None:
        """Each side must equal the one before; the chain moves on to it."""
        for s in sides:
            self.check(self.chain_value, s, line)
            self.chain_value = s

    # --- one line
    def feed(self, ln: _Line) -> None:
        """Check the steps of one line: unreadable, ``= C`` or ``A = B [= C ...]``."""
        if ln.error is not None:
            self._unreadable(ln, ln.error)
        elif ln.kind == "cont":
            self._continuation(ln)
        else:
            self._equation(ln)

    def _unreadable(self, ln: _Line, error: ParseError) -> None:
        self.step_no += 1
        line = ln.lineno + error.line - 1
        message = _("step {step} (line {line}) cannot be read: column {column}: {error}").format(
            step=self.step_no, line=line, column=error.column, error=error.message)
        if self.first_bad is None:
            self.bad_status = "unparseable"
        self.fail(line, message)
        self.chain_value = None

    def _continuation(self, ln: _Line) -> None:
        if self.chain_value is None:
            self.step_no += 1
            self.fail(ln.lineno, _("step {step} (line {line}) continues a chain that has not started").format(
                step=self.step_no, line=ln.lineno))
            return
        self.steps(ln.sides, ln.lineno)
        self.close_chain()

    def _equation(self, ln: _Line) -> None:
        lhs, rest = ln.sides[0], ln.sides[1:]
        if lhs in self.quantity_names:
            lhs = self.q  # \delta = ... derives the quantity \delta names
        if _is_name(lhs):
            if not self._definition(ln, lhs, rest[0]):
                return
            rest = rest[1:]
        else:
            self._chain_head(ln, lhs)
        self.steps(rest, ln.lineno)
        if rest or self.chain_start is not None:
            self.close_chain()

    def _definition(self, ln: _Line, lhs: sp.Expr, rhs: sp.Expr) -> bool:
        """``A = B`` for a name A: restate a given/defined quantity, or define a new one.

        False when the definition itself is refused (the rest of the line is skipped).
        """
        name = _name_of(lhs)
        given = _is_given(lhs, self.variables)
        if given or self.defs.defines(lhs):
            self._restatement(ln, lhs, rhs, (_("the problem's {name}") if given
                                             else _("the earlier definition of {name}")).format(name=name))
        else:
            try:
                self.defs.add(lhs, rhs)
            except EvalError as e:
                self.step_no += 1
                self.fail(ln.lineno, _("step {step} (line {line}): {error}").format(
                    step=self.step_no, line=ln.lineno, error=e))
                return False
        self.chain_start, self.chain_value = None, rhs
        self.prev_desc = _("the definition of {name} (line {line})").format(name=name, line=ln.lineno)
        return True

    def _restatement(self, ln: _Line, lhs: sp.Expr, rhs: sp.Expr, desc: str) -> None:
        """A given quantity restated: fine (not a step); inconsistent with the problem: an invalid step."""
        try:
            same = compare(lhs, rhs, pts=self.pts, defs_expected=self.defs, deadline=self.deadline) is None
        except EvalError:
            same = False
        if not same:
            self.prev_desc = desc
            self.check(lhs, rhs, ln.lineno)

    def _chain_head(self, ln: _Line, lhs: sp.Expr) -> None:
        """``A = ...`` for an expression A: the chain goes on, A is a step, or a new chain starts."""
        if self.chain_value is not None and lhs == self.chain_value:
            pass  # "previous = next" style: the chain goes on
        elif self.chain_value is not None and not isinstance(lhs, sp.Derivative):
            self.check(self.chain_value, lhs, ln.lineno)
        else:
            self.chain_start = lhs
            self.prev_desc = _("the left-hand side")
        self.chain_value = lhs

    # --- the end
    def valid_prefix(self) -> int:
        """How many steps hold before the first wrong one."""
        n = 0
        for r in self.results:
            if not r.ok:
                break
            n += 1
        return n

    def reaches_key(self, key_expr: sp.Expr, key_defs: Definitions) -> tuple[bool, str]:
        """Does the answer (the end of the last chain deriving the quantity) equal the key? And if not, why."""
        # the answer is the end of the last chain that derives the quantity
        start, final = self.quantity_chain if self.quantity_chain[1] is not None else self.last_chain
        if final is None or self.first_bad is not None or self.timed_out:
            return False, ""
        q = self.q
        ren = match_lhs(start, q) if (start is not None and q is not None) else {}
        final_cmp = final.xreplace(ren) if ren else final
        try:
            diff = compare(key_expr, final_cmp, pts=self.pts, defs_expected=key_defs, defs_got=self.defs,
                           indices=free_indices(key_expr) | (free_indices(q) if q is not None else set()),
                           deadline=self.deadline)
        except EvalTimeout:
            self.timed_out = True
            return False, ""
        except SideError as e:
            return False, _("the last step cannot be compared with the answer: {error}").format(error=e.err)
        return _final_form(key_expr, final_cmp, diff, key_defs)


def wanted_vectors(key_expr: sp.Expr, key_defs: Definitions) -> set[str]:
    """The vectors an answer may be written in: the key's, and those its defined vectors stand for.

    Why: \\hat{x}_i is defined by (x_i - \\mu_B)/\\sqrt{...}, so an answer in x is as final as one in \\hat{x}.
    """
    wanted = _vectors(key_expr)
    for name in sorted(wanted & set(key_defs.vectors)):
        wanted |= _vectors(key_defs.vectors[name][1])
    return wanted


def _final_form(key_expr: sp.Expr, final: sp.Expr, diff: Difference | None,
                key_defs: Definitions | None = None) -> tuple[bool, str]:
    """The last step reaches the key when equal to it, free of derivatives and in the key's quantities."""
    extra = _vectors(final) - wanted_vectors(key_expr, key_defs or Definitions())
    unevaluated = (key_defs or Definitions()).unevaluated(final)
    reaches = diff is None and not unevaluated and not extra
    if diff is not None:
        return reaches, _("the last step does not equal the answer: {difference}").format(
            difference=diff.describe())
    if final.has(sp.Derivative):
        return reaches, _("the last step still contains a derivative")
    if unevaluated:
        return reaches, _("the last step uses a name for a derivative (like \\delta); evaluate it")
    if extra:
        return reaches, _("the last step is not yet in the form asked for (it still uses {extra}; "
                          "write it in terms of {wanted})").format(
            extra=", ".join(sorted(extra)), wanted=", ".join(sorted(_vectors(key_expr))))
    return reaches, ""


def _verdict(chain: _ChainChecker, reaches: bool, key_message: str, detail: dict[str, Any]) -> DerivationVerdict:
    """The verdict on a checked chain: timeout, no steps, valid, incomplete, or its first wrong step."""
    total = chain.step_no
    valid_prefix = chain.valid_prefix()
    first_bad = chain.first_bad
    results = tuple(chain.results)
    if chain.timed_out and first_bad is None:
        return DerivationVerdict("timeout", _("the derivation check ran out of time"), total, valid_prefix,
                                 None, None, False, 0.0, results, detail)
    if total == 0:
        return DerivationVerdict("invalid", _("no steps found (write lines like '= ...')"), 0, 0, None, None,
                                 False, 0.0, results, detail)
    if first_bad is None and reaches:
        return DerivationVerdict("valid", _("all {total} steps follow and the last equals the answer").format(total=total), total,
                                 total, None, None, True, 1.0, results, detail)
    fraction = min(MAX_PARTIAL, valid_prefix / total)
    if first_bad is None:
        msg = _("all {total} steps follow, but {problem}").format(
            total=total, problem=key_message or _("the chain does not reach the answer"))
        return DerivationVerdict("incomplete", msg, total, total, None, None, False, fraction, results, detail)
    return DerivationVerdict(chain.bad_status, first_bad.message, total, valid_prefix, first_bad.number,
                             first_bad.line, False, fraction, results, detail)


def with_milestones(verdict: DerivationVerdict, key: Key, report: MilestoneReport) -> DerivationVerdict:
    """The verdict regraded by what the chain shows: credit for milestones, caps, the missing step named."""
    consistency = 1.0 if verdict.status == "valid" else verdict.valid_prefix / verdict.steps
    fraction = credit(key, consistency, report)
    if verdict.status != "valid":
        fraction = min(fraction, MAX_PARTIAL)
    detail = {**verdict.detail, "milestones": {"reached": dict(report.reached), "shape": report.shape,
                                               "missing": [m.name for m in report.missing],
                                               "large_steps": [list(s) for s in report.large_steps]}}
    if verdict.status != "valid":
        return replace(verdict, fraction=fraction, detail=detail)
    if fraction >= 1.0 and not report.missing:
        return replace(verdict, detail=detail)
    return replace(verdict, status="missing_steps", message=_shown_message(verdict, report),
                   fraction=fraction, detail=detail)


def _shown_message(verdict: DerivationVerdict, report: MilestoneReport) -> str:
    """What a TA writes next to a chain that is right but does not show the work."""
    hint = _(report.missing[0].hint) if report.missing else _("show the intermediate results")
    if report.shape == "restated":
        return _("the derivation only restates the answer: show how it is derived ({hint})").format(hint=hint)
    if report.shape == "one_jump" and report.jump is not None:
        step, line = report.jump
        return _("step {step} (line {line}) is too large a step: it goes from the definition straight to the "
                 "answer; show the steps in between ({hint})").format(step=step, line=line, hint=hint)
    if report.large_steps:
        step, line, count = report.large_steps[0]
        return _("step {step} (line {line}) is too large a step: it skips {count} intermediate results; "
                 "show them ({hint})").format(step=step, line=line, count=count, hint=hint)
    return _("all {total} steps follow, but a result a derivation passes through is missing: {hint}").format(
        total=verdict.steps, hint=hint)
