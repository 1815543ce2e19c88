"""Neutralise text a student controls for the medium it lands in (DESIGN.md, "Trust boundary").

Names in an LMS download, roster cells, file names, exception messages and
output tails are written by students. Each output medium has its own way to
turn such text into an action, so each gets one function here:

- CSV (a spreadsheet): a cell starting with `=`, `+`, `-`, `@`, TAB or CR is a
  formula in Excel/LibreOffice (OWASP "CSV injection"), also behind leading
  quotes or spaces (`"=1+1`): `csv_cell` prefixes it with `'`. Applied to
  *text* columns only; the numeric columns (score, parts, duration) are
  numbers the grader wrote, where `-1.5` must stay a number.
- A terminal: ESC sequences can move the cursor, recolour, retitle the window
  or hide lines; `plain` removes them and every other control character.
- XML (JUnit): most control characters are not allowed at all; `plain` and
  `plain_lines` remove them before junitparser escapes `<`, `&` and quotes.
- Markdown/HTML: `[x](http://evil)`, `![img](http://remote/a.png)`, `<img>` and
  `</details>` render; `md_code` and `md_fence` show student text as code,
  with a backtick fence longer than any backtick run inside it.

All functions are pure: str in, str out.
"""
from __future__ import annotations

import json
import re
from typing import Any

# ESC sequences first (CSI `ESC [ ... final`, OSC `ESC ] ... BEL|ESC \`, other two-byte ESC x),
# then the 8-bit CSI (U+009B) with its parameters.
_ESCAPES = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]?"          # CSI
    r"|\x1b[\]PX^_][^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?"  # OSC, DCS, SOS, PM, APC up to their terminator
    r"|\x1b[ -/]*[0-~]?"                 # any other ESC x (and a lone ESC)
    r"|\x9b[0-?]*[ -/]*[@-~]?")          # 8-bit CSI; other C1 characters go one by one below
# C0 except the line breaks and TAB handled below, DEL, C1, the bidi overrides/isolates that reorder
# what a reader sees (Trojan Source), and U+FFFE/U+FFFF (not allowed in XML).
_CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069\ufffe\uffff]")
# Lone surrogates: a file name that is not valid UTF-8 (Python's surrogateescape); no encoder writes them.
_SURROGATES = re.compile("[\ud800-\udfff]")
# What json.dumps(ensure_ascii=False) leaves raw but a terminal or an editor acts on.
_JSON_RAW = re.compile("[\x7f-\x9f\ud800-\udfff\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
_BREAKS = re.compile(r"\r\n|[\r\n\t\x0b\x0c\x85\u2028\u2029]")
_MULTILINE_BREAKS = re.compile(r"\r\n|[\r\x0b\x0c\x85\u2028\u2029]")

# OWASP's formula triggers, plus their full-width forms (a Chinese IME types these).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")
# What may stand before a formula prefix and still let it run: whitespace (full-width too) and quotes.
_QUOTES_AND_SPACES = re.compile("^[\\s\"'＂＇“”‘’\u200b\u200c\u200d\u2060\ufeff\u180e]+")  # and zero widths


def plain(text: str) -> str:
    """One line of inert text: ESC sequences and control characters removed, line breaks and tabs as spaces."""
    return _CONTROLS.sub("", _BREAKS.sub(" ", _ESCAPES.sub("", _SURROGATES.sub("\ufffd", text))))


def plain_lines(text: str) -> str:
    """Like `plain` but keeps line structure: every line break becomes "\\n", tabs stay."""
    text = _MULTILINE_BREAKS.sub("\n", _ESCAPES.sub("", _SURROGATES.sub("\ufffd", text)))
    return _CONTROLS.sub("", text)


def formula_like(text: str) -> bool:
    """Whether a spreadsheet may read the cell as a formula: a prefix behind any quotes and spaces (`"=1+1`).

    Importers strip a leading quote or space (LibreOffice's "evaluate formulas", Excel's text import), so
    what counts is the first character after them."""
    return _QUOTES_AND_SPACES.sub("", text, count=1)[:1] in FORMULA_PREFIXES


def csv_cell(text: str) -> str:
    """A text cell no spreadsheet runs: control characters gone, a formula prefix defused with a leading `'`."""
    if text[:1] in ("\t", "\r"):
        return "'" + plain(text)
    cleaned = plain(text)
    return "'" + cleaned if formula_like(cleaned) else cleaned


def _fence_for(text: str, minimum: int) -> str:
    """A run of backticks longer than any run inside `text` (and at least `minimum`)."""
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    return "`" * max(minimum, longest + 1)


def md_code(text: str) -> str:
    """One line of student text as an inline code span: nothing inside renders as Markdown or HTML.

    Pipes are escaped too, so the span can sit in a table cell (GFM removes the backslash before `|`).
    An empty text gives ""."""
    line = plain(text).strip()
    if not line:
        return ""
    fence = _fence_for(line, 1)
    pad = " " if line.startswith("`") or line.endswith("`") else ""
    return f"{fence}{pad}{line.replace('|', chr(92) + '|')}{pad}{fence}"


def md_code_lines(text: str) -> str:
    """Several lines of student text for one table cell: one code span per line, joined by <br>."""
    return "<br>".join(span for span in (md_code(line) for line in plain_lines(text).split("\n")) if span)


def md_fence(text: str, info: str = "text") -> str:
    """Student text as a fenced code block, the fence longer than any backtick run inside."""
    body = plain_lines(text).rstrip("\n")
    fence = _fence_for(body, 3)
    return f"{fence}{info}\n{body}\n{fence}"


def json_text(value: Any) -> str:
    """JSON that keeps Chinese readable but escapes what a terminal acts on (C1, DEL, bidi) and lone surrogates.

    json.dumps already escapes C0 (ESC included); the rest only ever occurs inside strings, so `\\uXXXX` is exact."""
    return _JSON_RAW.sub(lambda m: f"\\u{ord(m.group()):04x}", json.dumps(value, ensure_ascii=False))
