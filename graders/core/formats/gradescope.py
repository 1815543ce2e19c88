"""Gradescope autograder results.json (https://gradescope-autograders.readthedocs.io/en/latest/specs/)."""
from __future__ import annotations

import json as _json
from typing import Any

from graders.i18n import Renderer, _

from ..report import Report, TestResult
from ._common import by_part, detail, not_graded_line, public_line


def render(report: Report, tr: Renderer) -> str:
    """The report (messages rendered) as the results.json that Gradescope reads."""
    return _json.dumps(results(report, tr), indent=2, ensure_ascii=False)


def render_with_public(report: Report, public: Report, tr: Renderer) -> str:
    """results.json with the public checks shown at once (0 points: the score is the hidden suite's)."""
    data = results(report.localized(tr.lang), tr)
    data["tests"] = _public_tests(public.localized(tr.lang), tr) + data["tests"]
    return _json.dumps(data, indent=2, ensure_ascii=False)


def _public_tests(public: Report, tr: Renderer) -> list[dict[str, Any]]:
    """The public checks as visible Gradescope tests worth 0 points, numbered 0.N."""
    out = []
    for i, t in enumerate(public.tests, start=1):
        test = _test(t, f"0.{i}", tr)
        test.update(score=0.0, max_score=0.0, name=tr(_("public check: {name}").format(name=t.name)),
                    visibility="visible")
        out.append(test)
    return out


def results(report: Report, tr: Renderer) -> dict[str, Any]:
    """The results.json object; an ungraded submission scores 0 and says why."""
    graded = report.status == "graded"
    return {
        "score": float(report.score) if graded else 0.0,
        "execution_time": round(report.duration_s, 3),
        "output": _output(report, tr),
        "output_format": "text",
        "visibility": "visible",
        "stdout_visibility": "hidden",
        "tests": _tests(report, tr),
    }


def _output(report: Report, tr: Renderer) -> str:
    """The top-level text: why it was not graded, the message, notes, public-only line."""
    lines = [not_graded_line(report, tr)] if report.status != "graded" else []
    if report.status == "graded" and report.message:
        lines.append(report.message)
    lines += [tr(_("note: {note}").format(note=n)) for n in report.notes]
    if report.public_only and report.tests:
        lines.append(public_line(report, tr))
    return "\n".join(lines)


def _tests(report: Report, tr: Renderer) -> list[dict[str, Any]]:
    """One Gradescope test per TestResult, numbered part.test (e.g. '2.3')."""
    out = []
    for p, tests in enumerate(by_part(report).values(), start=1):
        out += [_test(t, f"{p}.{i}", tr) for i, t in enumerate(tests, start=1)]
    return out


def _test(t: TestResult, number: str, tr: Renderer) -> dict[str, Any]:
    """One test object; hidden tests are shown once grades are published."""
    return {
        "score": float(t.score),
        "max_score": float(t.max_score),
        "status": "passed" if t.status == "passed" else "failed",
        "name": t.name,
        "name_format": "text",
        "number": number,
        "output": detail(t, tr),
        "output_format": "text",
        "tags": [t.part, t.status],
        "visibility": "after_published" if t.visibility == "hidden" else "visible",
    }
