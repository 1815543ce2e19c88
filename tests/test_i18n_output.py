"""Chinese renders correctly everywhere: aligned tables, CSV with a BOM, UTF-8 JUnit/Gradescope, a plot without tofu."""
from __future__ import annotations

import json
import warnings
from pathlib import Path

import pytest
from click.testing import CliRunner
from rich.cells import cell_len

from graders.cli import main
from graders.core.batch.outputs import Row, gradebook_table, plot_labels, write_gradebook, write_summary
from graders.core.batch.plotfont import cjk_font
from graders.core.formats import render
from graders.core.report import Report
from graders.core.report import TestResult as Result
from graders.i18n import Renderer

ZH, EN = Renderer("zh"), Renderer("en")

ROWS = [Row("2023001", "张三", "graded", 87.5, 100.0, {"softmax": 25.0}, False, 1, 2.0, "张三_2023001_hw03.zip", ""),
        Row("2023002", "欧阳娜娜", "rejected", 0.0, 100.0, {}, True, 1, 0.0, "bad.rar", "不接受 .rar"),
        Row("2023003", "Li Lei", "missing", 0.0, 100.0, {}, False, 0, 0.0, "", "no submission found")]


def _report() -> Report:
    tests = (Result("softmax::stable", "softmax", "failed", 0.0, 5.0, "softmax(x) 返回了 nan", "先减去最大值"),
             Result("softmax::sums", "softmax", "passed", 5.0, 5.0))
    return Report("hw03", "张三_作业3", "graded", 5.0, 10.0, 1.0, tests=tests)


def _columns(line: str) -> list[int]:
    """Display columns of the '|' separators in one table line (a Chinese character is two columns)."""
    return [cell_len(line[:i]) for i, ch in enumerate(line) if ch in "|+"]


def test_gradebook_table_aligns_columns_holding_chinese_names():
    lines = [line for line in gradebook_table(ROWS, ZH).splitlines() if line.strip()]
    assert "学号" in lines[1] and "欧阳娜娜" in gradebook_table(ROWS, ZH)
    separators = {tuple(_columns(line)) for line in lines if not line.startswith("+")}
    assert len(separators) == 1 and len(next(iter(separators))) == 7
    assert len({cell_len(line) for line in lines}) == 1


def test_gradebook_csv_starts_with_a_bom_and_keeps_chinese_names(tmp_path: Path):
    path = tmp_path / "gradebook.csv"
    write_gradebook(ROWS, ["softmax"], path, EN)
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    assert "欧阳娜娜" in data.decode("utf-8-sig") and data.decode("utf-8-sig").startswith("student_id,name,")


def test_text_report_in_chinese_keeps_the_table_aligned():
    text = render(_report(), "text", "zh")
    assert "已批改 · 得分 5 / 10" in text and "提示：先减去最大值" in text and "未通过" in text
    table = [line for line in text.splitlines() if line.startswith(("┃", "│"))]
    assert len({cell_len(line) for line in table}) == 1


def test_json_keeps_english_machine_fields_and_localises_message_and_hint():
    data = json.loads(render(_report(), "json", "zh"))
    assert (data["status"], data["tests"][0]["status"], data["tests"][0]["name"]) == ("graded", "failed", "softmax::stable")


def test_junit_and_gradescope_are_utf8_with_chinese_text():
    junit = render(_report(), "junit", "zh")
    gradescope = json.loads(render(_report(), "gradescope", "zh"))
    assert junit.startswith("<?xml version='1.0' encoding='utf-8'?>") or 'encoding="utf-8"' in junit.splitlines()[0]
    assert "提示：先减去最大值" in junit
    junit.encode("utf-8")
    assert gradescope["tests"][0]["output"] == "softmax(x) 返回了 nan\n提示：先减去最大值"


def test_cjk_font_is_picked_when_installed_and_none_otherwise():
    assert cjk_font(["DejaVu Sans", "WenQuanYi Zen Hei", "SimHei"]) == "WenQuanYi Zen Hei"
    assert cjk_font(["DejaVu Sans"]) is None


def test_plot_labels_fall_back_to_english_without_a_cjk_font():
    assert plot_labels("Noto Sans CJK SC", ZH)["students"] == "人数"
    assert plot_labels(None, ZH)["students"] == "students"
    assert all(label.isascii() for label in plot_labels(None, ZH).values())


def test_summary_plot_in_chinese_never_draws_missing_glyphs(tmp_path: Path):
    pytest.importorskip("matplotlib")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        write_summary(ROWS, [_report()], "核对", [], tmp_path, ZH)
    assert not [w for w in caught if "missing from font" in str(w.message)]
    assert (tmp_path / "summary.png").stat().st_size > 0
    assert "# 批改汇总 — hw03" in (tmp_path / "summary.md").read_text(encoding="utf-8")


def test_help_is_translated_with_lang_zh():
    result = CliRunner().invoke(main, ["--lang", "zh", "list", "--help"])
    assert result.exit_code == 0
    assert "用法:" in result.output and "示例：grade list" in result.output and "显示此帮助并退出。" in result.output


def test_usage_error_of_an_unknown_assignment_is_translated():
    from graders.cli import _run

    import sys

    argv = sys.argv
    sys.argv = ["grade", "hw99", "--lang", "zh"]
    try:
        assert _run() == 2
    finally:
        sys.argv = argv
