"""The GitHub-flavoured Markdown format."""
from __future__ import annotations

from graders.core.formats import render
from graders.core.formats.markdown import cell
from graders.core.report import Report

HEADER = "| test | status | points | message |"


def test_heading_and_status(report: Report) -> None:
    out = render(report, "markdown", "en")
    assert out.startswith("## hw03 — 17.5 / 35\n")
    assert "**Status:** graded · **Submission:** `张三_作业3`" in out
    assert "- note: `sandbox: network isolation unavailable on this host`" in out


def test_one_table_per_part_with_subtotals(report: Report) -> None:
    out = render(report, "markdown", "en")
    assert out.count(HEADER) == 3
    for heading in ("### softmax — 7.5 / 15", "### attention — 0 / 10", "### optim — 10 / 10"):
        assert heading in out


def test_rows_show_messages_as_code_one_span_per_line_and_italicise_hints(report: Report) -> None:
    out = render(report, "markdown", "en")
    assert ("| partial | ❌ failed | 2.5/5 | `2 of 4 rows wrong \\| tol=1e-6`<br>"
            "`row 3 off by 0.5`<br>_hint: check the axis_ |") in out
    assert "| 掩码形状 | 💥 error | 0/5 | `张量形状不匹配：期望 (2, 3)`<br>_hint: 检查 mask 的维度_ |" in out
    assert "| sums_to_one | ✅ passed | 5/5 |  |" in out


def test_every_row_has_four_cells(report: Report) -> None:
    rows = [line for line in render(report, "markdown", "en").splitlines() if line.startswith("| ")]
    for row in rows:
        unescaped = row.replace("\\|", "")
        assert unescaped.count("|") == 5, row


def test_cell_escaping() -> None:
    assert cell("a|b\nc\r\nd") == "a\\|b<br>c<br>d"
    assert cell("<script>") == "&lt;script&gt;"


def test_not_graded_and_public_only(ungraded: Report, public_report: Report) -> None:
    out = render(ungraded, "markdown", "en")
    assert "> **not graded (rejected):**\n\n```text\narchive entry ../../etc/passwd" in out
    assert HEADER not in out
    assert "_public checks: 1/1 passed — the hidden suite is run at submission_" in render(
        public_report, "markdown", "en")


HOSTILE = ("[x](http://evil) ![img](http://remote/a.png) <img src=x onerror=alert(1)> </details> "
           "```` ``` \x1b[2J\x07")


def test_student_text_never_renders_as_markdown_or_html(report: Report) -> None:
    from dataclasses import replace

    hostile = replace(report, submission=HOSTILE, notes=(HOSTILE,),
                      tests=(replace(report.tests[0], message=HOSTILE + "\nline two"),))
    out = render(hostile, "markdown", "en")
    assert "\x1b" not in out and "\x07" not in out
    code = "[x](http://evil) ![img](http://remote/a.png) <img src=x onerror=alert(1)> </details> ```` ```"
    assert f"**Submission:** ````` {code} `````" in out
    assert f"- note: ````` {code} `````" in out
    assert f"| ````` {code} `````<br>`line two`<br>_hint:" in out


def test_a_not_graded_message_is_fenced_longer_than_its_backtick_runs(ungraded: Report) -> None:
    from dataclasses import replace

    out = render(replace(ungraded, message="```\n</details>\n````"), "markdown", "en")
    assert "`````text\n```\n</details>\n````\n`````" in out
