"""The GitHub-flavoured Markdown format."""
from __future__ import annotations

from graders.core.formats import render
from graders.core.formats.markdown import cell
from graders.core.report import Report

HEADER = "| test | status | points | message |"


def test_heading_and_status(report: Report) -> None:
    out = render(report, "markdown")
    assert out.startswith("## hw03 — 17.5 / 35\n")
    assert "**Status:** graded · **Submission:** 张三_作业3" in out
    assert "- note: sandbox: network isolation unavailable on this host" in out


def test_one_table_per_part_with_subtotals(report: Report) -> None:
    out = render(report, "markdown")
    assert out.count(HEADER) == 3
    for heading in ("### softmax — 7.5 / 15", "### attention — 0 / 10", "### optim — 10 / 10"):
        assert heading in out


def test_rows_escape_pipes_and_newlines_and_italicise_hints(report: Report) -> None:
    out = render(report, "markdown")
    assert ("| partial | ❌ failed | 2.5/5 | 2 of 4 rows wrong \\| tol=1e-6<br>"
            "row 3 off by 0.5<br>_hint: check the axis_ |") in out
    assert "| 掩码形状 | 💥 error | 0/5 | 张量形状不匹配：期望 (2, 3)<br>_hint: 检查 mask 的维度_ |" in out
    assert "| sums_to_one | ✅ passed | 5/5 |  |" in out


def test_every_row_has_four_cells(report: Report) -> None:
    rows = [line for line in render(report, "markdown").splitlines() if line.startswith("| ")]
    for row in rows:
        unescaped = row.replace("\\|", "")
        assert unescaped.count("|") == 5, row


def test_cell_escaping() -> None:
    assert cell("a|b\nc\r\nd") == "a\\|b<br>c<br>d"
    assert cell("<script>") == "&lt;script&gt;"


def test_not_graded_and_public_only(ungraded: Report, public_report: Report) -> None:
    out = render(ungraded, "markdown")
    assert "> **not graded (rejected): archive entry ../../etc/passwd" in out
    assert HEADER not in out
    assert "_public checks: 1/1 passed — the hidden suite is run at submission_" in render(
        public_report, "markdown")
