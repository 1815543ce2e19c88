"""`grade hw03 PATH` with only a student bundle: found near PATH, in this folder, or around the running venv."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from graders.core.course import found_bundles
from graders.core.dist import public_toml
from graders.core.spec import list_assignments, load_assignment
from graders.errors import UnknownAssignment

ROOT = Path(__file__).resolve().parents[1]


def make_bundle(folder: Path) -> Path:
    """The public part of a bundle (no wheel): stubs, public tests, the public assignment.toml, a .venv folder."""
    shutil.copytree(ROOT / "exercises" / "hw03", folder)
    (folder / "assignment.toml").write_text(public_toml((ROOT / "graders/hw03/assignment.toml").read_text()))
    (folder / ".venv").mkdir()
    return folder


@pytest.fixture
def student_machine(tmp_path, monkeypatch):
    """No course checkout; the bundle's venv is the running one; the shell sits in an unrelated folder."""
    bundle = make_bundle(tmp_path / "bundle")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.setenv("GRADERS_COURSE", str(tmp_path / "no-course"))
    monkeypatch.chdir(elsewhere)
    monkeypatch.setattr(sys, "prefix", str(bundle / ".venv"))
    return bundle, elsewhere


def test_the_bundle_is_found_from_the_running_venv(student_machine):
    bundle, _ = student_machine
    spec = load_assignment("hw03")
    assert spec.bundle_dir == bundle.resolve() and spec.id == "hw03"


def test_grade_list_shows_the_bundle(student_machine):
    bundle, _ = student_machine
    assert [s.id for s in list_assignments()] == ["hw03"]
    assert found_bundles() == {"hw03": bundle.resolve()}


def test_a_bundle_near_the_submission_comes_first(student_machine, tmp_path, monkeypatch):
    other = make_bundle(tmp_path / "other")
    monkeypatch.setattr(sys, "prefix", str(tmp_path / "elsewhere"))
    assert load_assignment("hw03", near=other / "softmax.py").bundle_dir == other.resolve()


def test_no_bundle_anywhere_is_a_clear_error(tmp_path, monkeypatch):
    monkeypatch.setenv("GRADERS_COURSE", str(tmp_path / "no-course"))
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(sys, "prefix", str(tmp_path))
    with pytest.raises(UnknownAssignment, match="unknown assignment 'hw03'"):
        load_assignment("hw03")


def test_grade_from_any_folder_grades_a_solution_elsewhere(tmp_path):
    """The CLI as a student runs it: cwd unrelated, the submission in a third folder."""
    bundle = make_bundle(tmp_path / "bundle")
    solved = tmp_path / "solved"
    shutil.copytree(bundle, solved, ignore=shutil.ignore_patterns("assignment.toml", ".venv", "tests"))
    for name in ("softmax.py", "ema.py", "optimizers.py", "dropout.py"):
        shutil.copy(ROOT / "reference" / "hw03" / name, solved / name)
    (tmp_path / "cwd").mkdir()
    code = f"import sys; sys.prefix = {str(bundle / '.venv')!r}; from graders.cli import run; run()"
    env = dict(os.environ, GRADERS_COURSE=str(tmp_path / "no-course"))
    listed = subprocess.run([sys.executable, "-c", code, "list"], cwd=tmp_path / "cwd", env=env,
                            capture_output=True, text=True, timeout=60)
    assert listed.returncode == 0 and "hw03" in listed.stdout, listed.stderr
    proc = subprocess.run([sys.executable, "-c", code, "hw03", str(solved), "--no-server"], cwd=tmp_path / "cwd",
                          env=env, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert "score 80 / 80 checked locally" in " ".join(proc.stdout.split())


def test_grade_help_shows_the_command_as_typed():
    from click.testing import CliRunner

    from graders.cli import main

    result = CliRunner().invoke(main, ["hw03", "--help"], prog_name="grade")
    assert result.exit_code == 0 and result.output.startswith("Usage: grade [OPTIONS] ASSIGNMENT [SUBMISSION]")
