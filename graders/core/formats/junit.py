"""JUnit XML (one testsuite per part), for CI systems, built with junitparser.

junitparser escapes `<`, `&` and quotes but writes control characters as they
are, which XML forbids (the document would not parse); text from a report goes
through `plain`/`plain_lines` first (formats/safe.py).
"""
from __future__ import annotations

import io

from junitparser import Error, Failure, JUnitXml, Skipped, TestCase, TestSuite

from graders.i18n import Renderer

from ..report import Report, TestResult
from ._common import by_part, detail, not_graded_line, num
from .safe import plain, plain_lines


def render(report: Report, tr: Renderer) -> str:
    """The report (messages rendered) as a UTF-8 JUnit XML document with a top-level <testsuites>."""
    xml = JUnitXml(name=plain(f"{report.assignment}: {report.submission}"))
    for part, tests in by_part(report).items():
        xml.add_testsuite(_suite(report, part, tests, tr))
    if report.status != "graded" and not report.tests:
        xml.add_testsuite(_not_graded_suite(report, tr))
    xml.update_statistics()
    xml.time = report.duration_s
    buffer = io.BytesIO()
    xml.write(buffer, pretty=True)
    return buffer.getvalue().decode("utf-8")


def _suite(report: Report, part: str, tests: list[TestResult], tr: Renderer) -> TestSuite:
    """One suite for one part, its score and maximum as properties."""
    suite = TestSuite(part)
    got, top = report.parts()[part]
    suite.add_property("score", num(got))
    suite.add_property("max_score", num(top))
    for t in tests:
        suite.add_testcase(_case(report, t, tr))
    suite.update_statistics()
    return suite


def _case(report: Report, t: TestResult, tr: Renderer) -> TestCase:
    """One testcase; failed, error, timeout and skipped tests carry a result."""
    case = TestCase(plain(t.name), classname=plain(f"{report.assignment}.{t.part}"), time=0.0)
    text = plain_lines(t.message).strip()
    message = text.splitlines()[0] if text else t.status
    if t.status == "failed":
        result = Failure(message, type_="failed")
    elif t.status in ("error", "timeout"):
        result = Error(message, type_=t.status)
    elif t.status == "skipped":
        result = Skipped(message)
    else:
        return case
    result.text = plain_lines(detail(t, tr)) or None
    case.result = [result]
    return case


def _not_graded_suite(report: Report, tr: Renderer) -> TestSuite:
    """A one-case suite saying why nothing could be graded, so CI shows an error."""
    suite = TestSuite("grading")
    case = TestCase("grading::submission", classname=f"{report.assignment}.grading", time=0.0)
    error = Error(plain(not_graded_line(report, tr)), type_=report.status)
    case.result = [error]
    suite.add_testcase(case)
    suite.update_statistics()
    return suite
