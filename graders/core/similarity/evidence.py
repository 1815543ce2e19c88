"""Where a pair agrees: shared regions per function pair, and derivation steps in common.

Pure: an index and a pair in, regions out. Only fingerprints of positive weight
count, so the starter code and the cohort's common formula never show as evidence.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from graders.core.similarity.index import Index, Pair
from graders.core.similarity.profile import Mark

MAX_REGIONS = 8


@dataclass(frozen=True)
class Region:
    """Code of student a (file, function, lines) matching code of student b."""

    file_a: str
    owner_a: str
    lines_a: tuple[int, int]
    file_b: str
    owner_b: str
    lines_b: tuple[int, int]
    weight: float

    def describe(self) -> str:
        """`softmax.py:softmax 12-20 ~ hw.py:my_softmax 30-38` (code identifiers, not prose)."""
        return (f"{self.file_a}:{self.owner_a} {self.lines_a[0]}-{self.lines_a[1]} ~ "
                f"{self.file_b}:{self.owner_b} {self.lines_b[0]}-{self.lines_b[1]}")


def _shared_marks(index: Index, pair: Pair, channel: str) -> list[tuple[Mark, Mark, float]]:
    """Every (mark of a, mark of b, weight) for the weighted fingerprints both hold."""
    common = index.sets[pair.a][channel] & index.sets[pair.b][channel]
    weights = {h: index.weight(channel, h) for h in common}
    by_hash_b: dict[int, list[Mark]] = defaultdict(list)
    for m in index.profiles[pair.b].marks:
        if m.channel == channel and weights.get(m.hash, 0) > 0:
            by_hash_b[m.hash].append(m)
    return [(ma, mb, weights[ma.hash]) for ma in index.profiles[pair.a].marks
            if ma.channel == channel and ma.hash in by_hash_b for mb in by_hash_b[ma.hash]]


def regions(index: Index, pair: Pair) -> list[Region]:
    """Shared code grouped by the pair of functions it sits in, heaviest first."""
    groups: dict[tuple[str, str, str, str], list[tuple[Mark, Mark, float]]] = defaultdict(list)
    for channel in ("code", "ast"):
        for ma, mb, w in _shared_marks(index, pair, channel):
            groups[(ma.file, ma.owner, mb.file, mb.owner)].append((ma, mb, w))
    out = []
    for (fa, oa, fb, ob), hits in groups.items():
        lines_a = (min(a.first for a, _b, _w in hits), max(a.last for a, _b, _w in hits))
        lines_b = (min(b.first for _a, b, _w in hits), max(b.last for _a, b, _w in hits))
        out.append(Region(fa, oa, lines_a, fb, ob, lines_b, round(sum(w for _a, _b, w in hits), 3)))
    return sorted(out, key=lambda r: -r.weight)[:MAX_REGIONS]


def shared_steps(index: Index, pair: Pair) -> list[str]:
    """The rare derivation steps both wrote, as student a wrote them."""
    return sorted({ma.text for ma, _mb, _w in _shared_marks(index, pair, "math")})


def matched_lines(index: Index, pair: Pair) -> tuple[dict[str, set[int]], dict[str, set[int]]]:
    """Per file, the lines of a and of b covered by a weighted shared fingerprint (for highlighting)."""
    lines_a: dict[str, set[int]] = defaultdict(set)
    lines_b: dict[str, set[int]] = defaultdict(set)
    for channel in ("code", "ast"):
        for ma, mb, _w in _shared_marks(index, pair, channel):
            lines_a[ma.file].update(range(ma.first, ma.last + 1))
            lines_b[mb.file].update(range(mb.first, mb.last + 1))
    return lines_a, lines_b
