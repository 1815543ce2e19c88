"""The Report: one immutable record of grading one submission.

Every output format is rendered from this object (DESIGN.md, "Report"), so the
JSON schema below is the single source of truth for what a grading run found.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

from graders.i18n import Message, from_data, render, to_data

TEXT_FIELDS = ("message", "hint")  # a test's fields that hold messages

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
    metrics: dict[str, float] = field(default_factory=dict)  # e.g. hw04's held-out accuracy, measured parent-side

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
    unchecked: dict[str, float] = field(default_factory=dict)  # part -> points graded only at submission

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

    def metrics(self) -> dict[str, float]:
        """Every figure the tests measured (e.g. `accuracy`), by name; a later test's value wins."""
        found: dict[str, float] = {}
        for t in self.tests:
            found.update(t.metrics)
        return found

    def to_dict(self, lang: str = "en") -> dict[str, Any]:
        """The JSON-schema form of DESIGN.md (plain dicts, lists and numbers), text rendered in `lang`.

        Each object with messages also carries `i18n`: their ids and parameters, from
        which `from_dict` rebuilds them so the report renders again in any language."""
        data = asdict(self)
        data["tests"] = [_test_dict(t, lang) for t in self.tests]
        data["message"] = render(self.message, lang)
        data["notes"] = [render(n, lang) for n in self.notes]
        if isinstance(self.message, Message) or any(isinstance(n, Message) for n in self.notes):
            data["i18n"] = {"message": to_data(self.message), "notes": [to_data(n) for n in self.notes]}
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Report":
        """The report `to_dict` wrote, its messages rebuilt from `i18n` when present."""
        tests = tuple(_test_from_dict(t) for t in data.get("tests", ()))
        fields = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        i18n = data.get("i18n") or {}
        fields["tests"] = tests
        fields["message"] = from_data(i18n.get("message", fields.get("message", "")))
        notes = i18n.get("notes", fields.get("notes", ()))
        fields["notes"] = tuple(from_data(n) for n in notes)
        return cls(**fields)

    def localized(self, lang: str) -> "Report":
        """The same report with every message rendered to plain text in `lang` (for formats)."""
        tests = tuple(replace(t, **{f: render(getattr(t, f), lang) for f in TEXT_FIELDS}) for t in self.tests)
        return replace(self, tests=tests, message=render(self.message, lang),
                       notes=tuple(render(n, lang) for n in self.notes))

    def with_changes(self, **changes: Any) -> "Report":
        return replace(self, **changes)


def read_report(path: Path) -> Report:
    """A report saved by `grade --format json` (or a batch's cache), ready to render in any language.

    Raises GradersError naming the file when it is not such a report."""
    import json

    from graders.errors import GradersError
    from graders.i18n import _

    try:
        return Report.from_dict(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, UnicodeDecodeError, ValueError, TypeError, KeyError, AttributeError) as exc:
        raise GradersError(_("{path} is not a report written by `grade --format json` ({error})").format(
            path=path, error=f"{type(exc).__name__}: {exc}")) from exc


def _test_dict(t: TestResult, lang: str) -> dict[str, Any]:
    data = asdict(t)
    if not t.metrics:
        del data["metrics"]  # only tests that measure something carry the key
    data.update({f: render(getattr(t, f), lang) for f in TEXT_FIELDS})
    ids = {f: to_data(getattr(t, f)) for f in TEXT_FIELDS if isinstance(getattr(t, f), Message)}
    if ids:
        data["i18n"] = ids
    return data


def _test_from_dict(data: dict[str, Any]) -> TestResult:
    fields = {k: v for k, v in data.items() if k in TestResult.__dataclass_fields__}
    i18n = data.get("i18n") or {}
    fields.update({f: from_data(i18n[f]) for f in TEXT_FIELDS if f in i18n})
    return TestResult(**fields)
