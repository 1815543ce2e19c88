"""Pure scoring: test outcomes and declared weights -> points per test and totals."""
from __future__ import annotations

from dataclasses import dataclass, field

from graders.core.report import TestResult


@dataclass(frozen=True)
class Outcome:
    """One test's outcome before points are attached."""

    name: str
    part: str
    status: str
    weight: float = 1.0
    message: str = ""
    hint: str = ""
    visibility: str = "hidden"
    fraction: float | None = None  # partial credit (e.g. a derivation's valid prefix)
    metrics: dict[str, float] = field(default_factory=dict)  # figures the parent-side test measured


def score_part(points: float, outcomes: list[Outcome]) -> list[TestResult]:
    """Split a part's points over its tests by weight; a test scores its share when passed."""
    total = sum(o.weight for o in outcomes) or 1.0
    results = []
    for o in outcomes:
        top = points * o.weight / total
        fraction = o.fraction if o.fraction is not None else (1.0 if o.status == "passed" else 0.0)
        results.append(TestResult(name=o.name, part=o.part, status=o.status, score=round(top * fraction, 4),
                                  max_score=round(top, 4), message=o.message, hint=o.hint,
                                  visibility=o.visibility, metrics=dict(o.metrics)))
    return results


def total(results: list[TestResult]) -> tuple[float, float]:
    """(score, max_score) rounded for display."""
    return round(sum(r.score for r in results), 2), round(sum(r.max_score for r in results), 2)
