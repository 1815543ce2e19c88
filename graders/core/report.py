"""The Report: one immutable record of grading one submission.

Every output format is rendered from this object (DESIGN.md, "Report"), so the
JSON schema below is the single source of truth for what a grading run found.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field, replace
from typing import Any

REPORT_STATUSES = ("graded", "error", "timeout", "rejected")
TEST_STATUSES = ("passed", "failed", "error", "timeout", "skipped")


@dataclass(frozen=True)
class TestResult:
    """Outcome of one test: what was checked, how it went and why."""

    name: str  # "part::test_name"
    part: str
    status: str
    score: float
    max_score: float
    message: str = ""
    hint: str = ""
    visibility: str = "visible"  # "visible" (public) or "hidden"

    def __post_init__(self) -> None:
        if self.status not in TEST_STATUSES:
            raise ValueError(f"unknown test status {self.status!r}")


@dataclass(frozen=True)
class Report:
    """The result of grading one submission of one assignment."""

    assignment: str
    submission: str
    status: str
    score: float
    max_score: float
    duration_s: float
    environment: dict[str, Any] = field(default_factory=dict)
    tests: tuple[TestResult, ...] = ()
    message: str = ""  # why the status is not "graded", or a note for the reader
    notes: tuple[str, ...] = ()  # sandbox degradations, public-only mode, ...
    public_only: bool = False

    def __post_init__(self) -> None:
        if self.status not in REPORT_STATUSES:
            raise ValueError(f"unknown report status {self.status!r}")

    def parts(self) -> dict[str, tuple[float, float]]:
        """Score and maximum per part, in the order the tests appear."""
        totals: dict[str, tuple[float, float]] = {}
        for t in self.tests:
            got, top = totals.get(t.part, (0.0, 0.0))
            totals[t.part] = (got + t.score, top + t.max_score)
        return totals

    def to_dict(self) -> dict[str, Any]:
        """The JSON-schema form of DESIGN.md (plain dicts, lists and numbers)."""
        data = asdict(self)
        data["tests"] = [asdict(t) for t in self.tests]
        data["notes"] = list(self.notes)
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Report":
        tests = tuple(TestResult(**t) for t in data.get("tests", ()))
        fields = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        fields["tests"] = tests
        fields["notes"] = tuple(fields.get("notes", ()))
        return cls(**fields)

    def with_changes(self, **changes: Any) -> "Report":
        return replace(self, **changes)
