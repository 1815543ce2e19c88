"""nbgrader: a course folder (source, release, submitted, gradebook), timed `nbgrader autograde`.

The source notebook has one solution cell per hw03 file and one autograded test cell per check
(points as in checks.PART_POINTS); `nbgrader generate_assignment` records it in the gradebook and
writes the release version; each student's notebook is the release notebook with the solution
cells holding the student's code, put in submitted/<student>/hw03/. `nbgrader autograde hw03`
is nbgrader's own batch command: it executes every submitted notebook in a fresh kernel, one
after the other, and writes the scores to the gradebook; `nbgrader export` (not timed) reads them.
"""
from __future__ import annotations

import csv
import json
import subprocess
import time
from pathlib import Path

from .checks import CHECKS, PART_POINTS
from .corpus import CODE_FILES, ROOT, UNREADABLE, Submission, code_cell, markdown, new_notebook
from .result import ToolRun
from .venvs import tool_env

ASSIGNMENT = "hw03"
CONFIG = """c = get_config()
c.CourseDirectory.root = {root!r}
c.CourseDirectory.course_id = "hw03-bench"
c.Execute.timeout = {timeout}
"""


def _meta(grade_id: str, *, solution: bool, points: float | None = None) -> dict:
    meta = {"grade": points is not None, "solution": solution, "locked": not solution,
            "grade_id": grade_id, "schema_version": 3}
    if points is not None:
        meta["points"] = points
    return {"nbgrader": meta}


def source_notebook() -> dict:
    """The instructor's notebook: reference solutions in solution cells, the checks in test cells."""
    cells = [markdown("# hw03 — softmax backprop, EMA, optimizer steps, dropout scaling")]
    for name in CODE_FILES:
        solution = (ROOT / "reference" / "hw03" / name).read_text()
        cells += [markdown(f"## {name}"),
                  code_cell(f"### BEGIN SOLUTION\n{solution}\n### END SOLUTION\n",
                            metadata=_meta(f"code_{name[:-3]}", solution=True))]
    for part in PART_POINTS:
        cells.append(markdown(f"## Tests: {part}"))
        for check in (c for c in CHECKS if c.part == part):
            cells.append(code_cell(f"{check.function('_check')}\n_check(globals())\n",
                                   metadata=_meta(f"test_{check.name}", solution=False, points=check.points)))
    return new_notebook(cells)


def _nbgrader(venv: Path, course: Path, *args: str, timeout: float | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([str(venv / "bin" / "nbgrader"), *args], cwd=course, env=tool_env(venv),
                          capture_output=True, text=True, timeout=timeout)


def _student_notebook(release: dict, sub: Submission) -> bytes:
    if sub.code is None:
        return UNREADABLE
    cells = []
    for cell in release["cells"]:
        meta = cell.get("metadata", {}).get("nbgrader", {})
        if meta.get("solution") and cell["cell_type"] == "code":
            cell = dict(cell, source=sub.code[meta["grade_id"].removeprefix("code_") + ".py"])
        cells.append(cell)
    return (json.dumps(dict(release, cells=cells), indent=1, ensure_ascii=False) + "\n").encode()


def prepare(subs: list[Submission], venv: Path, course: Path, timeout: float) -> None:
    """Write the course folder, generate the assignment, and lay out every student's submission."""
    (course / "source" / ASSIGNMENT).mkdir(parents=True, exist_ok=True)
    (course / "nbgrader_config.py").write_text(CONFIG.format(root=str(course), timeout=int(timeout)))
    (course / "source" / ASSIGNMENT / "hw03.ipynb").write_text(json.dumps(source_notebook(), indent=1))
    proc = _nbgrader(venv, course, "generate_assignment", ASSIGNMENT, "--force")
    if proc.returncode:
        raise RuntimeError(f"nbgrader generate_assignment failed:\n{proc.stdout}{proc.stderr}")
    release = json.loads((course / "release" / ASSIGNMENT / "hw03.ipynb").read_text())
    for sub in subs:
        folder = course / "submitted" / sub.student / ASSIGNMENT
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "hw03.ipynb").write_bytes(_student_notebook(release, sub))
        (folder / "timestamp.txt").write_text("2024-10-07 23:59:00.000000 UTC")


def _scores(venv: Path, course: Path) -> dict[str, float]:
    proc = _nbgrader(venv, course, "export", "--to", str(course / "grades.csv"))
    if proc.returncode or not (course / "grades.csv").is_file():
        return {}
    with open(course / "grades.csv", newline="") as f:
        rows = list(csv.DictReader(f))
    return {r["student_id"]: 100.0 * float(r["score"]) / float(r["max_score"])
            for r in rows if r.get("assignment") == ASSIGNMENT and float(r.get("max_score") or 0) > 0}


def run(subs: list[Submission], venv: Path, work: Path, entries: int, timeout: float) -> ToolRun:
    """Time `nbgrader autograde hw03` over every student's submission."""
    venv, course = venv.resolve(), work.resolve() / "course"
    prepare(subs, venv, course, timeout)
    start = time.perf_counter()
    proc = _nbgrader(venv, course, "autograde", ASSIGNMENT, "--force")
    wall = time.perf_counter() - start
    (work / "autograde.log").write_text(proc.stdout + proc.stderr)
    autograded = len(list((course / "autograded").glob(f"*/{ASSIGNMENT}/hw03.ipynb")))
    scores = _scores(venv, course)
    note = (f"exit {proc.returncode}; {autograded} notebooks autograded, "
            f"{len(subs) - autograded} failed (unreadable)")
    return ToolRun("nbgrader 0.9.6", "nbgrader autograde hw03 --force", entries, len(subs), wall, scores, note)
