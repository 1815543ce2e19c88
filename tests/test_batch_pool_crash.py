"""A crash of a batch pool process (not of a sandboxed worker) breaks the whole pool.

The batch must still complete: the units the broken pool took down are graded
again, and the one that crashes its own pool every time ends as `error` (cached,
so --resume does not loop on it); every unit is reported exactly once.
"""
from __future__ import annotations

import os
import signal
from pathlib import Path

from graders.core.batch import pool as run
from graders.core.batch.collect import Unit
from graders.core.grade import rejected
from graders.core.spec import load_assignment


def no_template() -> None:
    """Pool initializer for this test: no warm template is needed."""


def fake_grade(assignment: str, path: str, course: str, lang: str = "en") -> dict:
    """Runs in a pool process: the unit whose file says "crash" kills the pool process itself."""
    if "crash" in Path(path).read_text():
        os.kill(os.getpid(), signal.SIGKILL)
    return rejected(assignment, path, "fine", status="graded").to_dict()


def test_a_pool_process_crash_costs_one_row_and_the_batch_completes(tmp_path, monkeypatch):
    monkeypatch.setattr(run, "grade_path", fake_grade)
    monkeypatch.setattr(run, "_init_worker", no_template)
    spec = load_assignment("hw03")
    units = [Unit(entry=f"s{i}.py", source="in", files={f"s{i}.py": text.encode()})
             for i, text in enumerate(["ok 0", "crash", "ok 2", "ok 3"])]
    cache = run.Cache(tmp_path / "cache", "v")
    reported: list[dict] = []
    uncached = run.grade_all(spec, units, cache, tmp_path / "work", 2, lambda _digest, report: reported.append(report))
    assert uncached == {}
    assert sorted(r["status"] for r in reported) == ["error", "graded", "graded", "graded"]
    crashed = cache.get(units[1].digest)
    assert crashed["status"] == "error" and "crashed on this submission every time" in crashed["message"]
    assert all(cache.get(u.digest)["status"] == "graded" for u in units if u is not units[1])
