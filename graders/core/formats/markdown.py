"""GitHub-flavoured Markdown summary (a PR comment, a CI job summary).

Two kinds of text go in. Names from the assignment's spec (assignment, part and
test names, hints) pass through `cell`. Everything else in a report can quote a
student (the submission's name, messages with exception text and output, notes
naming notebook cells or inner archives) and is shown as code (formats/safe.py):
a link, an image, raw HTML or a `</details>` in it never renders.
"""
from __future__ import annotations

from graders.i18n import Renderer, _

from ..report import Report, TestResult
from ._common import by_part, num, points, public_line, score_text, short_name, status_label
from .safe import md_code, md_code_lines, md_fence, plain_lines

STATUS_ICONS = {"passed": "✅", "failed": "❌", "error": "💥", "timeout": "⏱️", "skipped": "⏭️"}


def cell(text: str) -> str:
    """The grader's own text made safe for one table cell: HTML and pipes escaped, newlines as <br>."""
    text = plain_lines(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = text.replace("\\", "\\\\").replace("|", "\\|")
    return "<br>".join(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"))


def render(report: Report, tr: Renderer) -> str:
    """The report (messages rendered) as Markdown in `tr`'s language: a heading, the status lines, a table per part."""
    lines = [f"## {cell(report.assignment)} — {num(report.score)} / {num(report.max_score)}", ""]
    if report.unchecked:
        lines += [f"**{cell(score_text(report, tr))}**", ""]
    lines += _status_lines(report, tr)
    for part, tests in by_part(report).items():
        got, top = report.parts()[part]
        lines += ["", f"### {cell(part)} — {num(got)} / {num(top)}", ""]
        lines += ["| {} | {} | {} | {} |".format(tr(_("test")), tr(_("status")), tr(_("points")), tr(_("message"))),
                  "| --- | --- | --: | --- |"]
        lines += [_row(t, tr) for t in tests]
    return "\n".join(lines) + "\n"


def _status_lines(report: Report, tr: Renderer) -> list[str]:
    """Status, submission, message, notes and the public-only line."""
    lines = [tr(_("**Status:** {status} · **Submission:** {submission}").format(
        status=status_label(report.status, tr), submission=md_code(report.submission)))]
    if report.status != "graded":
        lines += ["", "> **" + tr(_("not graded ({status}):").format(status=status_label(report.status, tr))) + "**", ""]
        lines += [md_fence(report.message or tr(_("no reason given")))]
    elif report.message:
        lines += ["", md_fence(report.message)]
    if report.notes:
        lines += [""] + [tr(_("- note: {note}").format(note=md_code(n))) for n in report.notes]
    if report.public_only and report.tests:
        lines += ["", f"_{public_line(report, tr)}_"]
    return lines


def _row(t: TestResult, tr: Renderer) -> str:
    """One table row: the message as code, one span per line; the hint follows in italics."""
    message = md_code_lines(t.message)
    if t.hint:
        message += ("<br>" if message else "") + "_" + tr(_("hint: {hint}").format(hint=cell(t.hint))) + "_"
    status = f"{STATUS_ICONS[t.status]} {status_label(t.status, tr)}"
    return f"| {cell(short_name(t))} | {status} | {points(t)} | {message} |"
