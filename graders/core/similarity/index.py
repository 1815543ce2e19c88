"""Pairs through an index of fingerprints, scored by the rare material two submissions share.

Pure: profiles in, scored pairs out. A fingerprint's weight falls with the
number of submissions holding it (its document frequency, df): 1 when only one
holds it, down to 0 once more than `cap` do, where cap is the larger of
`min_cap` and `share` of the cohort; the starter code's fingerprints weigh 0.
Candidate pairs come from the postings of rare fingerprints only (df <= `rare`),
so a cohort of 1,000 is never compared all against all. Per channel (code
tokens, AST subtrees, derivation steps) a pair's similarity is the weight it
shares over the mean of the smaller total and the geometric mean of the two
(halfway between containment, which dead code cannot dilute, and cosine, which a
tiny submission cannot inflate); the score blends the channels both have.
"""
from __future__ import annotations

import math
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from itertools import combinations

from graders.core.similarity.profile import CHANNELS, Profile


@dataclass(frozen=True)
class Settings:
    """Knobs of the index, with the defaults measured on the corpus (README, "Similarity")."""

    share: float = 0.05
    min_cap: int = 4
    rare: int = 12
    weights: dict[str, float] = field(default_factory=lambda: {"code": 0.45, "ast": 0.4, "math": 0.15})


@dataclass(frozen=True)
class Pair:
    """Two submissions (indices into the profile list), their score and per-channel similarity."""

    a: int
    b: int
    score: float
    channels: dict[str, float]


class Index:
    """Document frequencies and weighted totals of every profile's fingerprints."""

    def __init__(self, profiles: list[Profile], starter: Profile, settings: Settings = Settings()) -> None:
        self.profiles, self.settings = profiles, settings
        self.sets = [{c: p.hashes(c) for c in CHANNELS} for p in profiles]
        self.starter = {c: starter.hashes(c) for c in CHANNELS}
        self.df = {c: Counter(h for s in self.sets for h in s[c]) for c in CHANNELS}
        self.cap = max(settings.min_cap, settings.share * len(profiles))
        self.weights = {c: {h: self._weight(c, h, n) for h, n in self.df[c].items()} for c in CHANNELS}
        self.totals = [{c: self._total(c, s[c]) for c in CHANNELS} for s in self.sets]

    def _weight(self, channel: str, h: int, df: int) -> float:
        """1 for a fingerprint only one submission has, falling to 0 past the cap; 0 for starter code."""
        if h in self.starter[channel]:
            return 0.0
        return max(0.0, 1.0 - (df - 1) / self.cap)

    def weight(self, channel: str, h: int) -> float:
        """The fingerprint's weight (0 for one no submission holds)."""
        return self.weights[channel].get(h, 0.0)

    def _total(self, channel: str, hashes: frozenset[int]) -> float:
        return sum(self.weight(channel, h) for h in hashes)

    def shared(self, i: int, j: int, channel: str) -> float:
        """The weight of the fingerprints both submissions hold."""
        return sum(self.weight(channel, h) for h in self.sets[i][channel] & self.sets[j][channel])

    def score(self, i: int, j: int) -> Pair:
        """The pair's blended score in [0, 1]."""
        sims: dict[str, float] = {}
        for c in CHANNELS:
            ti, tj = self.totals[i][c], self.totals[j][c]
            if ti > 0 and tj > 0:
                sims[c] = min(1.0, self.shared(i, j, c) / (0.5 * min(ti, tj) + 0.5 * math.sqrt(ti * tj)))
        weights = self.settings.weights
        total = sum(weights[c] for c in sims)
        score = sum(weights[c] * s for c, s in sims.items()) / total if total else 0.0
        return Pair(i, j, round(score, 4), {c: round(s, 4) for c, s in sims.items()})

    def candidates(self) -> set[tuple[int, int]]:
        """Pairs sharing at least one rare code or AST fingerprint (never two archive submissions)."""
        postings: dict[tuple[str, int], list[int]] = defaultdict(list)
        for i, sets in enumerate(self.sets):
            for c in ("code", "ast"):
                for h in sets[c]:
                    if 2 <= self.df[c][h] <= self.settings.rare and h not in self.starter[c]:
                        postings[(c, h)].append(i)
        return {pair for ids in postings.values() for pair in combinations(ids, 2) if self._wanted(*pair)}

    def _wanted(self, i: int, j: int) -> bool:
        return not (self.profiles[i].archive and self.profiles[j].archive)

    def pairs(self, all_pairs: bool = False) -> list[Pair]:
        """Scored pairs, best first: the candidates, or every pair with `all_pairs`."""
        n = len(self.profiles)
        chosen = (p for p in combinations(range(n), 2) if self._wanted(*p)) if all_pairs else self.candidates()
        return sorted((self.score(i, j) for i, j in chosen), key=lambda p: (-p.score, p.a, p.b))
