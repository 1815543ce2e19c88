"""Gradescope autograder results.json (https://gradescope-autograders.readthedocs.io/en/latest/specs/)."""
from __future__ import annotations

import json as _json
from typing import Any

from graders.i18n import _

from ..report import Report, TestResult
from ._common import by_part, detail, not_graded_line, public_line


def render(report: Report) -> str:
    """The report as the results.json that Gradescope reads."""
    return _json.dumps(results(report), indent=2, ensure_ascii=False)


def results(report: Report) -> dict[str, Any]:
    """The results.json object; an ungraded submission scores 0 and says why."""
    graded = report.status == "graded"
    return {
        "score": float(report.score) if graded else 0.0,
        "execution_time": round(report.duration_s, 3),
        "output": _output(report),
        "output_format": "text",
        "visibility": "visible",
        "stdout_visibility": "hidden",
        "tests": _tests(report),
    }


def _output(report: Report) -> str:
    """The top-level text: why it was not graded, the message, notes, public-only line."""
    lines = [not_graded_line(report)] if report.status != "graded" else []
    if report.status == "graded" and report.message:
        lines.append(report.message)
    lines += [_("note: {note}").format(note=n) for n in report.notes]
    if report.public_only and report.tests:
        lines.append(public_line(report))
    return "\n".join(lines)


def _tests(report: Report) -> list[dict[str, Any]]:
    """One Gradescope test per TestResult, numbered part.test (e.g. '2.3')."""
    out = []
    for p, tests in enumerate(by_part(report).values(), start=1):
        out += [_test(t, f"{p}.{i}") for i, t in enumerate(tests, start=1)]
    return out


def _test(t: TestResult, number: str) -> dict[str, Any]:
    """One test object; hidden tests are shown once grades are published."""
    return {
        "score": float(t.score),
        "max_score": float(t.max_score),
        "status": "passed" if t.status == "passed" else "failed",
        "name": t.name,
        "name_format": "text",
        "number": number,
        "output": detail(t),
        "output_format": "text",
        "tags": [t.part, t.status],
        "visibility": "after_published" if t.visibility == "hidden" else "visible",
    }
