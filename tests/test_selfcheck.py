"""`grade check hw03` end to end: the reference, the stubs and every sample (adversarial ones too)."""
import subprocess
import sys


def test_grade_check_hw03_passes_every_check():
    proc = subprocess.run([sys.executable, "-c", "from graders.cli import run; run()", "check", "hw03"],
                          capture_output=True, text=True, timeout=900)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    lines = proc.stdout.splitlines()
    assert lines[-1].endswith("checks passed") and lines[-1].split("/")[0] == lines[-1].split("/")[1].split()[0]
    for sample in ("adversarial_exit_at_import", "adversarial_infinite_loop", "adversarial_reads_hidden",
                   "adversarial_writes_results", "adversarial_fork_bomb", "adversarial_memory_hog"):
        assert any(sample in line and line.startswith("ok") for line in lines), sample


def test_grade_check_hw02_passes_every_check():
    proc = subprocess.run([sys.executable, "-c", "from graders.cli import run; run()", "check", "hw02"],
                          capture_output=True, text=True, timeout=900)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    lines = proc.stdout.splitlines()
    assert lines[-1].endswith("checks passed") and lines[-1].split("/")[0] == lines[-1].split("/")[1].split()[0]
    for sample in ("reference", "stubs", "correct", "notebook", "mistake_backprop_uses_autograd",
                   "mistake_w1_uses_updated_w2", "mistake_transposed_weight_grads"):
        assert any(sample in line and line.startswith("ok") for line in lines), sample


def test_with_data_table_replaces_expectations_only_under_data():
    from pathlib import Path

    from graders.core.selfcheck import expectations

    expect = {"full_marks": ["model"], "with_data": {"full_marks": [], "trips": ["model::acc"]}}
    assert expectations(expect, None) == {"full_marks": ["model"]}
    assert expectations(expect, Path("t.csv")) == {"full_marks": [], "trips": ["model::acc"]}
