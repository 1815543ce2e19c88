"""Derivation blocks as normalised LaTeX token streams: identical unusual steps are evidence.

Each line of an `answer`/`derivation` block becomes a token tuple with spacing,
`\\left`/`\\right`, `$` and layout commands removed; the line is one
fingerprint (with its block and line for the report). Lines everyone writes
(the key, the starter's text) are discounted by the index like code.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from graders.core.symbolic.blocks import extract_blocks

_TOKEN = re.compile(r"\\[A-Za-z]+|\\.|[A-Za-z]|\d+(?:\.\d+)?|\S")
_DROPPED = {"\\left", "\\right", "\\,", "\\;", "\\!", "\\quad", "\\qquad", "$", "&", "\\\\", "\\displaystyle"}
MIN_TOKENS = 6


@dataclass(frozen=True)
class Step:
    """One normalised derivation line: its hash, block name and the line's text as written."""

    hash: int
    block: str
    text: str


def tokens(line: str) -> tuple[str, ...]:
    """The LaTeX tokens of a line, without spacing and sizing commands."""
    return tuple(t for t in _TOKEN.findall(line) if t not in _DROPPED)


def _hash(parts: tuple[str, ...]) -> int:
    return int.from_bytes(hashlib.blake2b("\x00".join(parts).encode(), digest_size=8).digest(), "little")


def steps(markdown: str) -> list[Step]:
    """The fingerprints of every answer and derivation line long enough to be telling."""
    out: list[Step] = []
    for block in extract_blocks(markdown):
        for line in block.text.splitlines():
            parts = tokens(line)
            if len(parts) >= MIN_TOKENS:
                out.append(Step(_hash(parts), f"{block.kind} {block.name}", line.strip()[:200]))
    return out
