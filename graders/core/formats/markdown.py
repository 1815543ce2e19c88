"""GitHub-flavoured Markdown summary (a PR comment, a CI job summary)."""
from __future__ import annotations

from graders.i18n import _

from ..report import Report, TestResult
from ._common import by_part, not_graded_line, num, points, public_line, short_name, status_label

STATUS_ICONS = {"passed": "✅", "failed": "❌", "error": "💥", "timeout": "⏱️", "skipped": "⏭️"}


def cell(text: str) -> str:
    """Text made safe for one table cell: pipes escaped, newlines as <br>."""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = text.replace("\\", "\\\\").replace("|", "\\|")
    return "<br>".join(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"))


def render(report: Report) -> str:
    """The report as Markdown: a heading, the status lines, a table per part."""
    lines = [f"## {cell(report.assignment)} — {num(report.score)} / {num(report.max_score)}", ""]
    lines += _status_lines(report)
    for part, tests in by_part(report).items():
        got, top = report.parts()[part]
        lines += ["", f"### {cell(part)} — {num(got)} / {num(top)}", ""]
        lines += ["| {} | {} | {} | {} |".format(_("test"), _("status"), _("points"), _("message")),
                  "| --- | --- | --: | --- |"]
        lines += [_row(t) for t in tests]
    return "\n".join(lines) + "\n"


def _status_lines(report: Report) -> list[str]:
    """Status, submission, message, notes and the public-only line."""
    lines = [_("**Status:** {status} · **Submission:** {submission}").format(
        status=status_label(report.status), submission=cell(report.submission))]
    if report.status != "graded":
        lines += ["", f"> **{cell(not_graded_line(report))}**"]
    elif report.message:
        lines += ["", f"> {cell(report.message)}"]
    if report.notes:
        lines += [""] + [_("- note: {note}").format(note=cell(n)) for n in report.notes]
    if report.public_only and report.tests:
        lines += ["", f"_{public_line(report)}_"]
    return lines


def _row(t: TestResult) -> str:
    """One table row; the hint follows the message in italics."""
    message = cell(t.message)
    if t.hint:
        message += ("<br>" if message else "") + "_" + _("hint: {hint}").format(hint=cell(t.hint)) + "_"
    status = f"{STATUS_ICONS[t.status]} {status_label(t.status)}"
    return f"| {cell(short_name(t))} | {status} | {points(t)} | {message} |"
