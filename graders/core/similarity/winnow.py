"""k-gram hashes of a token stream, selected by winnowing (Schleimer, Wilkerson and Aiken 2003).

Winnowing keeps the smallest hash of every window of `window` consecutive
k-grams, so any shared run of at least `k + window - 1` tokens is guaranteed
to yield a shared fingerprint, while only about 2/(window+1) of the hashes are
kept. Hashes are deterministic (CRC32 per token, polynomial over k-grams), so
a run is reproducible and an archive's fingerprints match a new cohort's.
"""
from __future__ import annotations

import zlib
from dataclasses import dataclass

from graders.core.similarity.tokens import Token

K = 10
WINDOW = 5
_MOD = (1 << 61) - 1
_BASE = 1_000_003


@dataclass(frozen=True)
class Fingerprint:
    """A selected k-gram hash and the token index where its k-gram starts."""

    hash: int
    start: int


def kgram_hashes(tokens: list[Token], k: int = K) -> list[int]:
    """The rolling hash of every k-gram (empty when there are fewer than k tokens)."""
    codes = [zlib.crc32(t.text.encode()) for t in tokens]
    if len(codes) < k:
        return []
    top = pow(_BASE, k - 1, _MOD)
    h = 0
    for code in codes[:k]:
        h = (h * _BASE + code) % _MOD
    out = [h]
    for i in range(k, len(codes)):
        h = ((h - codes[i - k] * top) * _BASE + codes[i]) % _MOD
        out.append(h)
    return out


def winnow(hashes: list[int], window: int = WINDOW) -> list[Fingerprint]:
    """The rightmost minimum of every window, each selected position once."""
    if len(hashes) <= window:
        return [Fingerprint(h, i) for i, h in enumerate(hashes) if h == min(hashes)][-1:]
    picked: list[Fingerprint] = []
    last = -1
    for end in range(window, len(hashes) + 1):
        lo = end - window
        best = min(range(lo, end), key=lambda i: (hashes[i], -i))
        if best != last:
            picked.append(Fingerprint(hashes[best], best))
            last = best
    return picked


def fingerprints(tokens: list[Token], k: int = K, window: int = WINDOW) -> list[Fingerprint]:
    """The winnowed fingerprints of one file's normalised tokens."""
    return winnow(kgram_hashes(tokens, k), window)
