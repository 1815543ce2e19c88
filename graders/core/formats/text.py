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

from graders.i18n import _

from ..report import Report, TestResult
from ._common import by_part, detail, not_graded_line, num, points, public_line, short_name, status_label
from .safe import plain, plain_lines

STATUS_STYLES = {"passed": "green", "failed": "red", "error": "magenta",
                 "timeout": "magenta", "skipped": "dim"}


def render(report: Report, color: bool = False) -> str:
    """The report as terminal text; ANSI colours only when `color` is true."""
    buffer = io.StringIO()
    console = Console(file=buffer, force_terminal=color, width=100,
                      color_system="standard" if color else None,
                      highlight=False, emoji=False, no_color=not color,
                      force_jupyter=False, _environ={})  # same output whatever the shell's env
    console.print(_header(report))
    for line in _preamble(report):
        console.print(line)
    for part, tests in by_part(report).items():
        console.print()
        console.print(_part_table(report, part, tests))
    return buffer.getvalue()


def _header(report: Report) -> Text:
    """The first line: assignment, submission, status and score."""
    status_style = "bold green" if report.status == "graded" else "bold red"
    return Text.assemble(
        (plain(report.assignment), "bold"), " · ", plain(report.submission), " · ",
        (status_label(report.status), status_style), " · ",
        (_("score {score} / {max_score}").format(score=num(report.score), max_score=num(report.max_score)), "bold"))


def _preamble(report: Report) -> list[Text]:
    """The message, the notes and the public-only line, above the tables."""
    lines: list[Text] = []
    if report.status != "graded":
        lines.append(Text(plain_lines(not_graded_line(report, shout=True)), style="bold red"))
    elif report.message:
        lines.append(Text(plain_lines(report.message)))
    lines.extend(Text(plain_lines(_("note: {note}").format(note=n)), style="yellow") for n in report.notes)
    if report.public_only and report.tests:
        lines.append(Text(public_line(report), style="cyan"))
    return lines


def _part_table(report: Report, part: str, tests: list[TestResult]) -> Table:
    """One table for one part, its subtotal in the last row."""
    got, top = report.parts()[part]
    table = Table(title=Text(plain(part), style="bold"), title_justify="left",
                  show_lines=False, expand=False)
    table.add_column(_("test"), overflow="fold")
    table.add_column(_("status"), no_wrap=True)
    table.add_column(_("points"), justify="right", no_wrap=True)
    table.add_column(_("message"), overflow="fold")
    for t in tests:
        table.add_row(Text(plain(short_name(t))), Text(status_label(t.status), style=STATUS_STYLES[t.status]),
                      Text(points(t)), Text(plain_lines(detail(t))))
    table.add_section()
    table.add_row(Text(_("subtotal"), style="bold"), Text(""),
                  Text(f"{num(got)}/{num(top)}", style="bold"), Text(""))
    return table
