"""hw04 end to end: training in the sandbox, held-out accuracy judged in the parent, --data, time budget, device."""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import torch

from graders.core.grade import grade_submission
from graders.core.sandbox import Template
from graders.core.spec import load_assignment

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "submissions" / "hw04"
COURSE_CSV = ROOT.parent / "shared" / "data" / "mobile_price_train.csv"
GRADE = [sys.executable, "-c", "from graders.cli import run; run()"]
needs_course_csv = pytest.mark.skipif(not COURSE_CSV.is_file(), reason="the course's table is not on this machine")


@pytest.fixture(scope="module")
def template():
    with Template() as t:
        yield t


@pytest.fixture(scope="module")
def spec():
    return load_assignment("hw04")


@pytest.fixture
def course_copy(tmp_path):
    """The course's CSV under the name the course uses (not ASCII), outside the repository."""
    path = tmp_path / "手机价格预测.csv"
    shutil.copy(COURSE_CSV, path)
    return path


def _only_test(report):
    assert report.status == "graded", report.message
    (test,) = report.tests
    return test


def test_reference_gets_full_marks_with_accuracy_and_confusion_matrix(spec, template):
    test = _only_test(grade_submission(spec, ROOT / "reference" / "hw04", device="cpu", template=template))
    assert test.status == "passed" and test.score == 100
    assert test.message.startswith("held-out accuracy 0.98")
    assert 0.98 <= test.metrics["accuracy"] < 0.99  # measured here, in the parent: a gradebook column in batches
    assert "target 0.97: full marks; trained in" in test.message and "confusion matrix (rows: true" in test.message


def test_a_non_module_is_rejected_with_a_clear_message(spec, template):
    test = _only_test(grade_submission(spec, SAMPLES / "mistake_returns_numpy", device="cpu", template=template))
    assert (test.status, test.score) == ("failed", 0)
    assert test.message == "fit() returned a numpy.ndarray, not a torch.nn.Module"


def test_training_past_the_budget_is_a_timeout(spec, template):
    report = grade_submission(spec, SAMPLES / "course_untuned", device="cpu", template=template, time_limit_s=3)
    test = _only_test(report)
    assert test.status == "timeout" and test.score == 0
    assert "fit() on the training rows did not finish within" in test.message


def test_label_thief_finds_nothing_in_memory_files_env_or_other_processes(spec, template):
    """Any label it found would be predicted exactly; 500/2000 (all class 0) means it found none."""
    test = _only_test(grade_submission(spec, SAMPLES / "adversarial_reads_labels", device="cpu", template=template))
    assert test.message.startswith("held-out accuracy 0.2500 (500/2000)")


@needs_course_csv
def test_label_thief_cannot_read_the_data_file_either(spec, template, course_copy):
    test = _only_test(grade_submission(spec, SAMPLES / "adversarial_reads_labels", device="cpu", template=template,
                                       data=course_copy))
    assert test.message.startswith("held-out accuracy 0.2500 (100/400) on the course split of 手机价格预测.csv")


def test_label_thief_does_cheat_where_labels_are_readable(tmp_path, monkeypatch):
    """Control: unconfined and pointed at a folder holding the held-out table, its search finds every label."""
    from graders.hw04 import data

    heldout = data.generate(99, per_class=25)
    heldout.to_csv(tmp_path / "leak.csv", index=False)
    sys.path.insert(0, str(SAMPLES / "adversarial_reads_labels"))
    try:
        import phone_price as thief
    finally:
        sys.path.pop(0)
        sys.modules.pop("phone_price", None)
    monkeypatch.setattr(thief, "_roots", lambda: [str(tmp_path)])
    monkeypatch.setattr(thief, "_other_processes", lambda found, evidence: None)
    monkeypatch.setattr(thief, "_own_memory", lambda y_train, evidence: None)  # the grader's own test process
    X, y = data.arrays(heldout)
    model = thief.fit(X[:10], y[:10])
    assert (model(torch.as_tensor(X)).argmax(1).numpy() == y).all()


@needs_course_csv
def test_cli_grades_the_reference_on_the_course_csv_with_a_chinese_name(course_copy, tmp_path):
    out = tmp_path / "report.json"
    proc = subprocess.run([*GRADE, "hw04", str(ROOT / "reference" / "hw04"), "--data", str(course_copy),
                           "--format", "json", "-o", str(out)], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    report = json.loads(out.read_text(encoding="utf-8"))
    assert report["score"] == 100
    assert report["tests"][0]["message"].startswith("held-out accuracy 0.9750 (390/400) on the course split of 手机价格预测.csv")


def test_cli_refuses_a_data_file_of_another_layout_as_a_usage_error(tmp_path):
    bad = tmp_path / "phones.csv"
    bad.write_text("ram,price_range\n1000,1\n", encoding="utf-8")
    proc = subprocess.run([*GRADE, "hw04", str(ROOT / "reference" / "hw04"), "--data", str(bad)],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2
    assert proc.stderr.startswith(f"error: --data {bad}: phones.csv: missing column(s) battery_power, blue,")
    assert "Traceback" not in proc.stderr


def test_cli_data_for_an_assignment_without_data_is_a_usage_error(tmp_path):
    table = tmp_path / "table.csv"
    table.write_text("a,b\n1,2\n", encoding="utf-8")
    proc = subprocess.run([*GRADE, "hw03", str(ROOT / "reference" / "hw03"), "--data", str(table)],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2
    assert proc.stderr.strip() == "error: hw03 takes no --data file (its assignment.toml declares no data module)"


@pytest.mark.skipif(torch.cuda.is_available(), reason="a CUDA device is present here")
def test_cli_device_cuda_without_a_gpu_is_refused_clearly():
    proc = subprocess.run([*GRADE, "hw04", str(ROOT / "reference" / "hw04"), "--device", "cuda", "--format", "json"],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 3
    report = json.loads(proc.stdout)
    assert report["status"] == "rejected" and "no CUDA GPU is available" in report["message"]
