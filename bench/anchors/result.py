"""What one tool's timed run produced: the figures for the comparison table."""
from __future__ import annotations

import statistics
from dataclasses import asdict, dataclass, field


@dataclass
class ToolRun:
    """One tool over one corpus: wall time of its grading command(s) and the scores it gave."""

    tool: str
    command: str
    entries: int          # entries of the LMS download (the N of the benchmark)
    graded_items: int     # what the tool was given: notebooks, or entries for `grade batch`
    wall_s: float
    scores: dict[str, float] = field(default_factory=dict)  # student -> percent of the tool's max
    note: str = ""

    @property
    def per_s(self) -> float:
        """Entries of the download graded per second of wall time."""
        return self.entries / self.wall_s if self.wall_s else 0.0

    def summary(self) -> dict:
        """A JSON-ready dict with the derived figures."""
        values = list(self.scores.values())
        out = asdict(self) | {"submissions_per_s": round(self.per_s, 4), "wall_s": round(self.wall_s, 2)}
        out["scores"] = {"count": len(values), "mean_percent": round(statistics.fmean(values), 2) if values else None,
                         "full_marks": sum(v >= 99.99 for v in values), "zero": sum(v <= 0 for v in values)}
        return out
