"""Small pure helpers shared by the output formats."""
from __future__ import annotations

from ..report import Report, TestResult


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


def detail(t: TestResult) -> str:
    """The message and the hint of a test, one per line, for plain-text outputs."""
    lines = [t.message] if t.message else []
    if t.hint:
        lines.append(f"hint: {t.hint}")
    return "\n".join(lines)


def by_part(report: Report) -> dict[str, list[TestResult]]:
    """The tests grouped by part, in the order the parts first appear."""
    groups: dict[str, list[TestResult]] = {}
    for t in report.tests:
        groups.setdefault(t.part, []).append(t)
    return groups


def public_line(report: Report) -> str:
    """The summary shown when only the public checks were run."""
    passed = sum(t.status == "passed" for t in report.tests)
    return (f"public checks: {passed}/{len(report.tests)} passed"
            " — the hidden suite is run at submission")


def not_graded_line(report: Report, shout: bool = False) -> str:
    """Why a submission could not be graded, e.g. 'not graded (timeout): ...'."""
    reason = report.message or "no reason given"
    label = "NOT GRADED" if shout else "not graded"
    return f"{label} ({report.status}): {reason}"
