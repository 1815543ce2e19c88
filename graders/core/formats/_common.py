"""Small pure helpers shared by the output formats."""
from __future__ import annotations

from graders.i18n import N_, Renderer, _

from ..report import Report, TestResult

# What a person reads for a machine status (the JSON keeps the English word).
STATUS_LABELS = {"passed": N_("passed"), "failed": N_("failed"), "error": N_("error"), "timeout": N_("timeout"),
                 "skipped": N_("skipped"), "graded": N_("graded"), "rejected": N_("rejected"),
                 "missing": N_("missing"), "needs_review": N_("needs review")}


def status_label(status: str, tr: Renderer) -> str:
    """A test's or report's status in the reader's language ('failed' -> '未通过')."""
    return tr(_(STATUS_LABELS[status])) if status in STATUS_LABELS else status


def num(x: float) -> str:
    """A score as a short string: 80.0 -> '80', 62.5 -> '62.5', 1/3 -> '0.33'."""
    text = f"{x:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def points(t: TestResult) -> str:
    """A test's points as 'got/max', e.g. '2.5/5'."""
    return f"{num(t.score)}/{num(t.max_score)}"


def short_name(t: TestResult) -> str:
    """The test name without its 'part::' prefix."""
    prefix = f"{t.part}::"
    return t.name[len(prefix):] if t.name.startswith(prefix) else t.name


def detail(t: TestResult, tr: Renderer) -> str:
    """The message and the hint of a test, one per line, for plain-text outputs."""
    lines = [tr(t.message)] if t.message else []
    if t.hint:
        lines.append(tr(_("hint: {hint}").format(hint=t.hint)))
    return "\n".join(lines)


def by_part(report: Report) -> dict[str, list[TestResult]]:
    """The tests grouped by part, in the order the parts first appear."""
    groups: dict[str, list[TestResult]] = {}
    for t in report.tests:
        groups.setdefault(t.part, []).append(t)
    return groups


def public_line(report: Report, tr: Renderer) -> str:
    """The summary shown when only the public checks were run."""
    passed = sum(t.status == "passed" for t in report.tests)
    return tr(_("public checks: {passed}/{total} passed — the hidden suite is run at submission").format(
        passed=passed, total=len(report.tests)))


def score_text(report: Report, tr: Renderer) -> str:
    """'score 87.5 / 100', or in public-only mode what was checked here and what only at submission.

    Why: a local 80 / 80 must never read as full marks while 20 points are still unchecked."""
    score = _("score {score} / {max_score}").format(score=num(report.score), max_score=num(report.max_score))
    if not report.unchecked:
        return tr(score)
    return tr(_("score {score} / {max_score} checked locally · {unchecked} points ({parts}) checked only at "
                "submission").format(score=num(report.score), max_score=num(report.max_score),
                                     unchecked=num(sum(report.unchecked.values())), parts=", ".join(report.unchecked)))


def not_graded_line(report: Report, tr: Renderer, shout: bool = False) -> str:
    """Why a submission could not be graded, e.g. 'not graded (timeout): ...'."""
    reason = report.message or _("no reason given")
    text = _("NOT GRADED ({status}): {reason}") if shout else _("not graded ({status}): {reason}")
    return tr(text.format(status=status_label(report.status, tr), reason=reason))
