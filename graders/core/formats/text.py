"""Plain-text report for a student at a terminal, rendered with rich.

Every string is a rich Text (never markup), and text from the report passes
through `plain`/`plain_lines` (formats/safe.py): no ESC sequence or other
control character from a submission reaches the terminal.
"""
from __future__ import annotations

import io

from rich.console import Console
from rich.table import Table
from rich.text import Text

from graders.i18n import Renderer, _

from ..report import Report, TestResult
from ._common import by_part, detail, not_graded_line, num, points, public_line, score_text, short_name, status_label
from .safe import plain, plain_lines

STATUS_STYLES = {"passed": "green", "failed": "red", "error": "magenta",
                 "timeout": "magenta", "skipped": "dim"}


def render(report: Report, tr: Renderer, color: bool = False) -> str:
    """The report (messages rendered) as terminal text in `tr`'s language; ANSI colours only when `color` is true."""
    buffer = io.StringIO()
    console = Console(file=buffer, force_terminal=color, width=100,
                      color_system="standard" if color else None,
                      highlight=False, emoji=False, no_color=not color,
                      force_jupyter=False, _environ={})  # same output whatever the shell's env
    console.print(_header(report, tr))
    for line in _preamble(report, tr):
        console.print(line)
    for part, tests in by_part(report).items():
        console.print()
        console.print(_part_table(report, part, tests, tr))
    return buffer.getvalue()


def _header(report: Report, tr: Renderer) -> Text:
    """The first line: assignment, submission, status and score."""
    status_style = "bold green" if report.status == "graded" else "bold red"
    return Text.assemble(
        (plain(report.assignment), "bold"), " · ", plain(report.submission), " · ",
        (status_label(report.status, tr), status_style), " · ",
        (score_text(report, tr), "bold"))


def _preamble(report: Report, tr: Renderer) -> list[Text]:
    """The message, the notes and the public-only line, above the tables."""
    lines: list[Text] = []
    if report.status != "graded":
        lines.append(Text(plain_lines(not_graded_line(report, tr, shout=True)), style="bold red"))
    elif report.message:
        lines.append(Text(plain_lines(report.message)))
    lines.extend(Text(plain_lines(tr(_("note: {note}").format(note=n))), style="yellow") for n in report.notes)
    if report.public_only and report.tests:
        lines.append(Text(public_line(report, tr), style="cyan"))
    return lines


def _part_table(report: Report, part: str, tests: list[TestResult], tr: Renderer) -> Table:
    """One table for one part, its subtotal in the last row."""
    got, top = report.parts()[part]
    table = Table(title=Text(plain(part), style="bold"), title_justify="left",
                  show_lines=False, expand=False)
    table.add_column(tr(_("test")), overflow="fold")
    table.add_column(tr(_("status")), no_wrap=True)
    table.add_column(tr(_("points")), justify="right", no_wrap=True)
    table.add_column(tr(_("message")), overflow="fold")
    for t in tests:
        table.add_row(Text(plain(short_name(t))), Text(status_label(t.status, tr), style=STATUS_STYLES[t.status]),
                      Text(points(t)), Text(plain_lines(detail(t, tr))))
    table.add_section()
    table.add_row(Text(tr(_("subtotal")), style="bold"), Text(""),
                  Text(f"{num(got)}/{num(top)}", style="bold"), Text(""))
    return table
