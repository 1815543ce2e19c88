"""The JUnit XML format."""
from __future__ import annotations

import xml.etree.ElementTree as ET

from junitparser import Error, Failure, JUnitXml, Skipped

from graders.core.formats import render
from graders.core.report import Report


def test_is_utf8_xml_that_etree_parses(report: Report) -> None:
    out = render(report, "junit", "en")
    assert out.startswith('<?xml version="1.0" encoding="utf-8"?>')
    root = ET.fromstring(out.encode("utf-8"))
    assert root.tag == "testsuites"
    assert [s.get("name") for s in root.findall("testsuite")] == ["softmax", "attention", "optim"]
    assert (root.get("tests"), root.get("failures"), root.get("errors"), root.get("skipped")) == (
        "7", "2", "2", "1")


def test_junitparser_counts_match(report: Report) -> None:
    xml = JUnitXml.fromstring(render(report, "junit", "en"))
    suites = {s.name: s for s in xml}
    assert (suites["softmax"].tests, suites["softmax"].failures) == (3, 2)
    assert (suites["attention"].errors, suites["attention"].skipped) == (2, 1)
    assert (suites["optim"].tests, suites["optim"].failures, suites["optim"].errors) == (1, 0, 0)


def test_cases_names_classnames_and_results(report: Report) -> None:
    xml = JUnitXml.fromstring(render(report, "junit", "en"))
    cases = {c.name: c for s in xml for c in s}
    failed = cases["softmax::stable_for_large_logits"]
    assert failed.classname == "hw03.softmax"
    assert isinstance(failed.result[0], Failure)
    assert failed.result[0].message == "softmax([1000., 0.]) returned nan"
    assert failed.result[0].text.endswith("hint: subtract the max before exp")
    error = cases["attention::掩码形状"]
    assert isinstance(error.result[0], Error) and error.result[0].message == "张量形状不匹配：期望 (2, 3)"
    assert isinstance(cases["attention::causal"].result[0], Error)
    assert cases["attention::causal"].result[0].type == "timeout"
    assert isinstance(cases["attention::flash"].result[0], Skipped)
    assert cases["optim::adam_step"].is_passed


def test_suite_properties_carry_part_scores(report: Report) -> None:
    xml = JUnitXml.fromstring(render(report, "junit", "en"))
    props = {s.name: {p.name: p.value for p in s.properties()} for s in xml}
    assert props["softmax"] == {"score": "7.5", "max_score": "15"}
    assert props["optim"] == {"score": "10", "max_score": "10"}


def test_ungraded_report_is_one_error(ungraded: Report) -> None:
    root = ET.fromstring(render(ungraded, "junit", "en").encode("utf-8"))
    assert (root.get("tests"), root.get("errors")) == ("1", "1")
    assert "archive entry ../../etc/passwd" in root.find(".//error").get("message")
