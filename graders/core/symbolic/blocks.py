"""Find ```answer NAME``` and ```derivation NAME``` fenced blocks in markdown."""
from __future__ import annotations

import re
from dataclasses import dataclass

_FENCE = re.compile(r"^(?P<indent> {0,3})(?P<fence>`{3,}|~{3,})\s*(?P<info>[^`]*)$")
_INFO = re.compile(r"^(answer|derivation)\s+([A-Za-z_][A-Za-z0-9_\-]*)\s*$")


@dataclass(frozen=True)
class Block:
    """One answer/derivation block.

    ``line`` is the 1-based markdown line of the first content line (for an
    empty block: the line after the opening fence).
    """

    kind: str  # "answer" | "derivation"
    name: str
    text: str
    line: int


def extract_blocks(markdown: str) -> list[Block]:
    """Return the answer/derivation blocks of ``markdown`` in order.

    Other fenced blocks are skipped; an unclosed block runs to the end of the
    text (as in CommonMark).  Works on text joined from notebook cells.
    """
    lines = markdown.splitlines()
    out: list[Block] = []
    i = 0
    while i < len(lines):
        m = _FENCE.match(lines[i])
        if not m:
            i += 1
            continue
        fence = m.group("fence")
        info = m.group("info").strip()
        start = i + 1
        j = start
        while j < len(lines):
            close = lines[j].strip()
            if close.startswith(fence[0] * len(fence)) and set(close) == {fence[0]}:
                break
            j += 1
        im = _INFO.match(info)
        if im:
            out.append(Block(im.group(1), im.group(2), "\n".join(lines[start:j]), start + 1))
        i = j + 1
    return out
