"""Commentary in a derivation line: what a TA reads past, kept apart from the mathematics.

Students annotate their steps (``\\qquad \\text{(quotient rule)}``,
``\\text{（代入 } y_i \\text{）}``, ``（由商的求导法则）``, ``% note``, ``\\tag{3}``,
``\\because ...`` lines, "Let" / "所以" before a step). The checker must read the
mathematics without the notes, and a report may show the notes.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from .lexer import FUNC_WORDS, PLAIN_WORDS, TEXT_WORDS
from .notation import PLAIN_NAMES

MATH_WORDS = set(FUNC_WORDS) | set(PLAIN_WORDS) | TEXT_WORDS | PLAIN_NAMES
REASON_MARKS = ("\\because", "\\therefore", "\u2235", "\u2234")  # ∵ ∴
_TEXT_GROUP = re.compile(r"\\(?:text|textrm|mbox|textbf|textit|textsf|texttt)\s*\{")
_TAG = re.compile(r"\\tag\*?\s*\{[^{}]*\}")
_COMMAND = re.compile(r"\\[A-Za-z]+")
_SCRIPT = re.compile(r"[_^](\{[^{}]*\}|[A-Za-z0-9])")
_WORD = re.compile(r"[A-Za-z]{2,}")
_SPACING = re.compile(r"(\\(quad|qquad|[,;:! ])|~)+\s*$")
_FULL_OPEN, _FULL_CLOSE = "（【", "）】"
_EDGE_PUNCT = " \t:：,，。.;；、"


@dataclass(frozen=True)
class Annotated:
    """One line split: the mathematics to check, and the commentary removed from it."""

    math: str
    commentary: str


def _is_cjk(ch: str) -> bool:
    return unicodedata.category(ch) == "Lo" or ch in _FULL_OPEN + _FULL_CLOSE + "，。：；、！？"


def is_prose(text: str) -> bool:
    """Words a reader reads (Chinese, or English words the notation does not know), not symbols."""
    if any(_is_cjk(ch) for ch in text):
        return True
    bare = _SCRIPT.sub(" ", _COMMAND.sub(" ", text))
    return any(w.lower() not in MATH_WORDS for w in _WORD.findall(bare))


def _matching(text: str, start: int, opener: str, closer: str) -> int:
    """Index just after the bracket closing the one at ``start`` (the end of text if unclosed)."""
    depth = 0
    for k in range(start, len(text)):
        if text[k] in opener:
            depth += 1
        elif text[k] in closer:
            depth -= 1
            if depth == 0:
                return k + 1
    return len(text)


def _text_groups(line: str) -> list[tuple[int, int, str]]:
    """Every ``\\text{...}``-like group: (start, end, content)."""
    out = []
    for m in _TEXT_GROUP.finditer(line):
        end = _matching(line, m.end() - 1, "{", "}")
        out.append((m.start(), end, line[m.end():max(m.end(), end - 1)]))
    return out


def _unclosed(content: str) -> bool:
    return content.count("(") + content.count("（") > content.count(")") + content.count("）")


def _text_spans(line: str) -> list[tuple[int, int]]:
    """Spans of commentary ``\\text`` groups; a note opening a bracket runs to the group that closes it."""
    groups = _text_groups(line)
    spans: list[tuple[int, int]] = []
    k = 0
    while k < len(groups):
        start, end, content = groups[k]
        if content.strip().lower() in MATH_WORDS or (len(content.strip()) == 1 and content.strip().isalpha()):
            k += 1
            continue
        if _unclosed(content):
            closing = next((g for g in groups[k + 1:] if not _unclosed(g[2]) and (")" in g[2] or "）" in g[2])), None)
            end = closing[1] if closing else len(line)
            k = groups.index(closing) if closing else len(groups)
        spans.append((start, end))
        k += 1
    return spans


def _full_width_spans(line: str) -> list[tuple[int, int]]:
    """Spans of full-width bracket groups: never mathematics."""
    spans, k = [], 0
    while k < len(line):
        if line[k] in _FULL_OPEN:
            end = _matching(line, k, _FULL_OPEN, _FULL_CLOSE)
            spans.append((k, end))
            k = end
        else:
            k += 1
    return spans


def _cut(line: str, spans: list[tuple[int, int]]) -> tuple[str, list[str]]:
    """The line without the (possibly overlapping) spans, and the removed pieces."""
    keep, notes, pos = [], [], 0
    for start, end in sorted(spans):
        if end <= pos:
            continue
        start = max(start, pos)
        keep.append(line[pos:start])
        notes.append(line[start:end])
        pos = end
    keep.append(line[pos:])
    return " ".join(keep), notes


def _trailing_paren(math: str) -> tuple[str, str]:
    """A final ``(...)`` group holding words (``(quotient rule)``) is a note."""
    body = math.rstrip(_EDGE_PUNCT)
    if not body.endswith(")"):
        return math, ""
    depth = 0
    for k in range(len(body) - 1, -1, -1):
        depth += {")": 1, "(": -1}.get(body[k], 0)
        if depth == 0:
            inner = body[k + 1:-1]
            return (body[:k], body[k:]) if is_prose(inner) else (math, "")
    return math, ""


def _prose_edges(math: str) -> tuple[str, list[str]]:
    """Leading and trailing prose (``Let``, ``所以``, ``by the chain rule``) around the mathematics."""
    tokens = re.split(r"(\s+)", math.strip())
    notes = []
    for direction in (1, -1):
        run = []
        while tokens and (is_prose(tokens[0 if direction == 1 else -1]) or not tokens[0 if direction == 1 else -1].strip()):
            tok = tokens.pop(0 if direction == 1 else -1)
            if _looks_math(tok):
                tokens.insert(0 if direction == 1 else len(tokens), tok)
                break
            run.append(tok)
        if any(t.strip() for t in run):
            notes.append("".join(run if direction == 1 else reversed(run)).strip())
    return "".join(tokens), notes


def _looks_math(token: str) -> bool:
    """A prose-looking token that is mathematics after all (``eval(1)``, ``=``, ``\\frac{..}``)."""
    return any(c in token for c in "=\\_^{}()+*/") and not any(_is_cjk(c) for c in token)


def split_commentary(line: str) -> Annotated:
    """The mathematics of one derivation line and its commentary (see the module docstring)."""
    stripped = line.strip()
    if stripped.startswith(REASON_MARKS):
        return Annotated("", stripped)
    math, comment = _percent(line)
    notes = [comment] if comment else []
    math, removed = _cut(math, _TAG.findall(math) and [m.span() for m in _TAG.finditer(math)] or [])
    notes += removed
    math, removed = _cut(math, _text_spans(math) + _full_width_spans(math))
    notes += removed
    math, note = _trailing_paren(math)
    notes += [note] if note else []
    if is_prose(math):
        math, edge = _prose_edges(math)
        notes += edge
    math = _SPACING.sub("", math.rstrip()).strip().rstrip(_EDGE_PUNCT.replace(".", "")).strip()
    return Annotated(math, " ".join(n.strip() for n in notes if n.strip()))


def _percent(line: str) -> tuple[str, str]:
    """A LaTeX ``%`` comment (an unescaped ``%`` to the end of the line)."""
    m = re.search(r"(?<!\\)%", line)
    return (line, "") if m is None else (line[:m.start()], line[m.start() + 1:].strip())
