"""The terminal text format."""
from __future__ import annotations

import re

import pytest
from rich.cells import cell_len

from graders.core.formats import FORMATS, render
from graders.core.report import Report

ANSI = re.compile(r"\x1b\[[0-9;]*m")


def render_text(report: Report, color: bool = False) -> str:
    return render(report, "text", "en", color=color)


def table_blocks(out: str) -> list[list[str]]:
    """The box-drawn tables of the output, each as its lines."""
    blocks: list[list[str]] = []
    for line in out.splitlines():
        if line and line[0] in "┏┃┡│├└":
            if line[:1] == "┏":
                blocks.append([])
            blocks[-1].append(line)
    return blocks


def test_header_has_assignment_submission_status_and_score(report: Report) -> None:
    first = render_text(report).splitlines()[0]
    assert "hw03" in first and "张三_作业3" in first and "graded" in first
    assert "score 17.5 / 35" in first


def test_rows_show_points_status_message_and_hint(report: Report) -> None:
    out = render_text(report)
    assert re.search(r"│ stable_for_large_logits +│ failed +│ +0/5 │ softmax\(\[1000\., 0\.\]\) returned nan", out)
    assert "hint: subtract the max before exp" in out
    assert "hint: 检查 mask 的维度" in out
    assert re.search(r"│ partial +│ failed +│ +2\.5/5 │", out)
    for status in ("passed", "error", "timeout", "skipped"):
        assert status in out


def test_part_subtotals(report: Report) -> None:
    out = render_text(report)
    subtotals = re.findall(r"│ subtotal +│ +│ +(\S+) │", out)
    assert subtotals == ["7.5/15", "0/10", "10/10"]


def test_tables_align_with_wide_characters(report: Report) -> None:
    blocks = table_blocks(render_text(report))
    assert len(blocks) == 3
    for block in blocks:
        assert len({cell_len(line) for line in block}) == 1, block
    assert any("掩码形状" in line for line in blocks[1])


def test_notes_are_printed(report: Report) -> None:
    assert "sandbox: network isolation unavailable on this host" in render_text(report)


def test_no_ansi_codes_without_color(report: Report) -> None:
    assert "\x1b[" not in render_text(report, color=False)


def test_ansi_colors_with_color(report: Report, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    out = render_text(report, color=True)
    assert "\x1b[32mpassed" in out  # green
    assert "\x1b[31mfailed" in out  # red
    assert "\x1b[35merror" in out and "\x1b[35mtimeout" in out  # magenta
    assert "\x1b[2mskipped" in out  # dim
    assert ANSI.sub("", out) == render_text(report, color=False)


@pytest.mark.parametrize("color", [False, True])
def test_output_ignores_the_shell_environment(
        report: Report, monkeypatch: pytest.MonkeyPatch, color: bool) -> None:
    expected = render_text(report, color=color)
    for name, value in {"TERM": "dumb", "COLUMNS": "40", "NO_COLOR": "1", "FORCE_COLOR": "1"}.items():
        monkeypatch.setenv(name, value)
    assert render_text(report, color=color) == expected


def test_public_only_line(public_report: Report) -> None:
    out = render_text(public_report)
    assert "public checks: 1/1 passed — the hidden suite is run at submission" in out


def test_not_graded_message_is_prominent(ungraded: Report) -> None:
    lines = render_text(ungraded).splitlines()
    assert "rejected" in lines[0]
    assert lines[1] == ("NOT GRADED (rejected): archive entry ../../etc/passwd "
                        "escapes the submission folder")
    assert "┏" not in "\n".join(lines)


def test_markup_in_messages_is_not_interpreted(report: Report) -> None:
    test = report.tests[0].__class__("p::t", "p", "failed", 0, 1, "[bold]x[/bold] [red]")
    out = render_text(report.with_changes(tests=(test,)))
    assert "[bold]x[/bold] [red]" in out


def test_dispatch_and_unknown_format(report: Report) -> None:
    assert FORMATS == ("text", "json", "markdown", "junit", "gradescope")
    assert render(report, "text", "en") == render_text(report)
    assert "\x1b[" in render(report, "text", "en", color=True)
    with pytest.raises(ValueError, match="unknown format 'xml'"):
        render(report, "xml", "en")
