"""Neutralising student text for each medium: CSV, terminal, Markdown, JSON (formats/safe.py)."""
from __future__ import annotations

import json

import pytest

from graders.core.formats.safe import csv_cell, json_text, md_code, md_code_lines, md_fence, plain, plain_lines


@pytest.mark.parametrize(("raw", "cell"), [
    ('=HYPERLINK("http://x","y")', '\'=HYPERLINK("http://x","y")'),
    ("@SUM(A1)", "'@SUM(A1)"),
    ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"),
    ("-2+3", "'-2+3"),
    ("\t=1+1", "' =1+1"),
    ("\r=1+1", "' =1+1"),
    ("  =1+1", "'  =1+1"),
    ("＝1+1", "'＝1+1"),
    ("张三", "张三"),
    ("2023001234", "2023001234"),
    ("a=b", "a=b"),
    ("", ""),
])
def test_csv_cells_that_a_spreadsheet_would_run_get_a_leading_quote(raw: str, cell: str) -> None:
    assert csv_cell(raw) == cell


def test_csv_cells_lose_control_characters_and_line_breaks() -> None:
    assert csv_cell("a\x1b[31mred\x1b[0m\nb\r\nc\x00\x07\x7f\x85d\u202eevil") == "ared b c devil"
    assert csv_cell("\x1b[0m=1+1") == "'=1+1"  # the prefix is judged after the escape is gone


@pytest.mark.parametrize(("raw", "shown"), [
    ("\x1b]0;owned\x07title", "title"),
    ("\x1b]8;;http://evil\x1b\\link\x1b]8;;\x1b\\", "link"),
    ("\x1b[2J\x1b[Hclear", "clear"),
    ("\x1bccreset", "creset"),
    ("bell\x07 back\x08space", "bell backspace"),
    ("over\rwrite", "over write"),
    ("\x9b31mc1", "c1"),
    ("bad\udcffutf8", "bad\ufffdutf8"),
    ("[bold red]markup[/]", "[bold red]markup[/]"),
])
def test_plain_leaves_nothing_a_terminal_acts_on(raw: str, shown: str) -> None:
    assert plain(raw) == shown


def test_plain_lines_keeps_line_structure_only() -> None:
    assert plain_lines("a\r\nb\rc\x1b[1m\td\x00") == "a\nb\nc\td"


def test_md_code_fence_is_longer_than_any_backtick_run() -> None:
    assert md_code("[x](http://evil)") == "`[x](http://evil)`"
    assert md_code("a `b` c") == "``a `b` c``"
    assert md_code("``x") == "``` ``x ```"
    assert md_code("a|b") == "`a\\|b`"
    assert md_code("  \x1b[0m ") == ""


def test_md_code_lines_gives_one_span_per_line() -> None:
    assert md_code_lines("one\n\n<img src=x>\r\n") == "`one`<br>`<img src=x>`"


def test_md_fence_wraps_any_text_as_a_code_block() -> None:
    assert md_fence("plain") == "```text\nplain\n```"
    assert md_fence("```\n</details>\n`````") == "``````text\n```\n</details>\n`````\n``````"


def test_json_text_escapes_what_a_terminal_acts_on_and_round_trips() -> None:
    value = {"name": "张三\x1b[2J\x9b\u202e\udcff", "n": -1.5}
    text = json_text(value)
    assert "张三" in text and not any(c in text for c in "\x1b\x9b\u202e")
    assert text.isprintable() or all(ord(c) >= 0x20 for c in text)
    assert json.loads(text) == value
