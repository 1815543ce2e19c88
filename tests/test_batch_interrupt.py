"""Ctrl-C during `grade batch` on the local pool: exit 130, one line, no traceback; --resume grades only the rest.

The interrupt is a KeyboardInterrupt raised by the progress bar after the second report
lands (no timing); everything else is the real command on a real pool.
"""
from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

from graders import cli
from graders.core.batch.progress import BatchProgress

HW02 = Path(__file__).resolve().parents[1] / "submissions" / "hw02"


def entries(folder: Path, count: int) -> Path:
    samples = sorted(p for p in HW02.iterdir() if p.is_dir() and p.name.startswith(("correct", "mistake_")))
    for number in range(count):
        shutil.copytree(samples[number], folder / f"{samples[number].name}_{2023000 + number}")
    return folder


def grade(monkeypatch, capsys, *args: str) -> tuple[int, str, str]:
    monkeypatch.setattr(sys, "argv", ["grade", *args])
    code = cli._run()
    out, err = capsys.readouterr()
    return code, out, err


def test_ctrl_c_exits_130_with_one_line_and_resume_grades_only_the_rest(tmp_path, monkeypatch, capsys):
    inputs, outdir = entries(tmp_path / "in", 4), tmp_path / "out"
    command = ["batch", "hw02", str(inputs), "-o", str(outdir), "--layout", "flat", "--workers", "1", "--lang", "en"]
    update = BatchProgress.update

    def interrupted(self, done: int, total: int, failures: int) -> None:
        update(self, done, total, failures)
        if done >= 2:
            raise KeyboardInterrupt

    with monkeypatch.context() as patch:
        patch.setattr(BatchProgress, "update", interrupted)
        code, out, err = grade(patch, capsys, *command)
    assert code == 130 and "Traceback" not in out + err
    assert [line for line in err.splitlines() if "interrupted" in line] == [
        f"error: interrupted: the submissions graded so far are kept in {outdir}; run the same command again to "
        "grade only the rest"]
    assert len(list((outdir / ".cache").glob("*.json"))) == 2 and not (outdir / "gradebook.csv").exists()
    code, out, err = grade(monkeypatch, capsys, *command)
    assert code == 0, err
    assert "(2 graded now, 2 from cache)" in out
