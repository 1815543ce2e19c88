"""Windows / macOS: no fork server, a spawned worker per session (sandbox/parent/spawned.py, issue 15).

A host without `resource` and `fork` is simulated with a sitecustomize that removes
them (the spawned worker inherits it through PYTHONPATH); the rest runs with
GRADERS_SANDBOX=spawned, which picks the same path on Linux.
"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from graders.core.grader import Grader
from graders.core.sandbox.parent.spawned import SpawnedTemplate, needs_spawned_workers
from graders.errors import GradersError

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "submissions" / "hw03"
NO_FORK = 'import os, sys\nsys.modules["resource"] = None\nfor name in ("fork", "forkpty"):\n    os.__dict__.pop(name, None)\n'
GRADE = [sys.executable, "-c", "from graders.cli import run; run()"]


@pytest.fixture
def windows_like(tmp_path):
    (tmp_path / "sitecustomize.py").write_text(NO_FORK)
    return dict(os.environ, PYTHONPATH=str(tmp_path), GRADERS_SANDBOX="")


def test_a_host_without_resource_and_fork_grades_the_reference_with_a_note(windows_like):
    proc = subprocess.run(GRADE + ["hw03", str(ROOT / "reference" / "hw03"), "--public-only", "--no-server"],
                          env=windows_like, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    text = " ".join(proc.stdout.split())
    assert "score 80 / 80 checked locally" in text
    assert "sandbox: namespaces, Landlock and a separate user (student code can read and write what you can) " \
           "unavailable on this host" in text
    assert "sandbox: resource limits (CPU time, memory, file size) unavailable on this host" in text
    assert "Traceback" not in proc.stdout + proc.stderr


def test_hidden_suites_are_refused_without_the_sandbox(windows_like):
    proc = subprocess.run(GRADE + ["hw03", str(ROOT / "reference" / "hw03"), "--no-server"],
                          env=windows_like, capture_output=True, text=True, timeout=120)
    assert proc.returncode in (1, 2), proc
    assert "the hidden suites are graded only in the Linux sandbox" in proc.stderr
    assert "Traceback" not in proc.stdout + proc.stderr


def test_the_choice_follows_the_host(monkeypatch):
    monkeypatch.delenv("GRADERS_SANDBOX", raising=False)
    assert needs_spawned_workers() is (sys.platform != "linux")
    monkeypatch.setattr(os, "fork", None, raising=False)
    monkeypatch.delattr(os, "fork")
    assert needs_spawned_workers()


@pytest.fixture(scope="module")
def spawned_grader():
    os.environ["GRADERS_SANDBOX"] = "spawned"
    try:
        with Grader() as grader:
            assert isinstance(grader.template, SpawnedTemplate)
            yield grader
    finally:
        os.environ.pop("GRADERS_SANDBOX", None)


def test_a_hang_costs_its_part_only_and_the_worker_is_killed(spawned_grader):
    report = spawned_grader.grade("hw03", SAMPLES / "adversarial_infinite_loop", public_only=True, device="cpu")
    parts = report.parts()
    assert any(t.status == "timeout" for t in report.tests if t.part == "ema")
    assert all(parts[p][0] == parts[p][1] for p in ("softmax", "optimizers", "dropout"))


def test_exit_at_import_costs_its_part_only(spawned_grader):
    report = spawned_grader.grade("hw03", SAMPLES / "adversarial_exit_at_import", public_only=True, device="cpu")
    parts = report.parts()
    assert parts["softmax"][0] < parts["softmax"][1]
    assert all(parts[p][0] == parts[p][1] for p in ("ema", "optimizers", "dropout"))


def test_forcing_grades_the_hidden_suites_unconfined(spawned_grader):
    with pytest.raises(GradersError, match="GRADERS_ALLOW_UNCONFINED=1"):
        spawned_grader.grade("hw03", ROOT / "reference" / "hw03", device="cpu")
    spawned_grader.allow_unconfined = True
    try:
        report = spawned_grader.grade("hw03", ROOT / "reference" / "hw03", device="cpu")
    finally:
        spawned_grader.allow_unconfined = False
    assert report.score == 100.0 and any("network isolation" in n for n in report.notes)
