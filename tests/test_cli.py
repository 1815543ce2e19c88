"""The `grade` command as users call it: CliRunner for the contract, a real subprocess end to end."""
from __future__ import annotations

import json
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner

from graders.cli import main

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "submissions" / "hw03"
SCHEMA = json.loads((ROOT / "tests" / "core" / "formats" / "gradescope_schema.json").read_text())


def grade(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_list_shows_hw03_with_points():
    result = grade("list")
    assert result.exit_code == 0
    assert "hw03" in result.output and "100 points" in result.output
    assert "softmax 25, ema 10, optimizers 30, dropout 15, derivation 20" in result.output


def test_list_shows_hw02_with_points():
    result = grade("list")
    assert "hw02" in result.output and "activations 25, backprop 50, derivation 25" in result.output


def test_every_command_has_help_with_an_example():
    for command in ("grade", "list", "reference", "check"):
        result = grade(command, "--help")
        assert result.exit_code == 0 and "Example:" in result.output, command


def test_reference_scores_full_marks_as_json(tmp_path):
    out = tmp_path / "report.json"
    result = grade("hw03", str(ROOT / "reference" / "hw03"), "--format", "json", "--output", str(out))
    assert result.exit_code == 0
    report = json.loads(out.read_text())
    assert (report["status"], report["score"], report["max_score"]) == ("graded", 100.0, 100.0)
    assert {"device", "torch", "python"} <= set(report["environment"])
    assert {t["part"] for t in report["tests"]} == {"softmax", "ema", "optimizers", "dropout", "derivation"}


def test_stubs_score_zero_but_are_graded(tmp_path):
    result = grade("hw03", str(ROOT / "exercises" / "hw03"), "--format", "json")
    report = json.loads(result.output)
    assert result.exit_code == 0
    assert (report["status"], report["score"]) == ("graded", 0.0)
    messages = [t["message"] for t in report["tests"] if t["part"] == "ema"]
    assert any("NotImplementedError" in m for m in messages)


def test_fail_under_exits_1_and_junit_parses(tmp_path):
    out = tmp_path / "report.xml"
    result = grade("hw03", str(SAMPLES / "mistake_softmax_no_max_shift"), "--format", "junit",
                   "--output", str(out), "--fail-under", "99")
    assert result.exit_code == 1
    root = ET.parse(out).getroot()
    failures = root.findall(".//testcase/failure")
    assert any("nan" in (f.get("message") or "") for f in failures)


def test_gradescope_output_validates_and_hides_hidden_tests(tmp_path):
    out = tmp_path / "results.json"
    result = grade("hw03", str(SAMPLES / "mistake_adam_no_bias_correction"), "--format", "gradescope", "-o", str(out))
    assert result.exit_code == 0
    results = json.loads(out.read_text())
    jsonschema.validate(results, SCHEMA)
    # Adam trips its trajectory (weight 2), none-grads and param-groups runs (1 each) of 21 optimizer weights
    assert results["score"] == pytest.approx(100 - 30 * 4 / 21, abs=0.01)
    assert {t["visibility"] for t in results["tests"]} == {"after_published"}


def test_missing_submission_is_rejected_with_exit_3():
    result = grade("hw03", "/no/such/submission")
    assert result.exit_code == 3
    assert "no such file or folder: /no/such/submission" in result.output


def test_broken_zip_is_rejected_with_a_message(tmp_path):
    bad = tmp_path / "hw03.zip"
    bad.write_bytes(b"PK\x03\x04 definitely not a zip")
    result = grade("hw03", str(bad), "--format", "json")
    report = json.loads(result.output)
    assert result.exit_code == 3
    assert report["status"] == "rejected" and "not a readable zip" in report["message"]


def test_unknown_assignment_is_a_usage_error():
    result = CliRunner().invoke(main, ["hw99", "."], standalone_mode=False)
    assert "unknown assignment 'hw99'" in str(result.exception)


def test_bad_option_exits_2():
    assert grade("hw03", "--format", "pdf").exit_code == 2


def test_real_subprocess_grades_the_zipped_sample_and_a_notebook():
    for sample in (SAMPLES / "zipped" / "hw03.zip", SAMPLES / "notebook" / "hw03.ipynb"):
        proc = subprocess.run([sys.executable, "-c", "from graders.cli import run; run()", "hw03", str(sample),
                               "--format", "json"], capture_output=True, text=True, timeout=120)
        assert proc.returncode == 0, proc.stderr
        assert json.loads(proc.stdout)["score"] == 100.0


def test_real_subprocess_unknown_assignment_exits_2_without_traceback():
    proc = subprocess.run([sys.executable, "-c", "from graders.cli import run; run()", "hw99"],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2
    assert proc.stderr.strip() == "error: unknown assignment 'hw99' (known: hw02, hw03, hw04, hw05)"
