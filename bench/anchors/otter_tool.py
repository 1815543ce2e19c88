"""Otter-Grader: an autograder zip with exception-based test files, `otter run` once per notebook.

`otter run` is Otter's non-containerized mode and grades one submission per call (a fresh Python
process, a fresh Jupyter kernel that executes the notebook, then the tests in that kernel).
`otter grade` needs Docker, which a benchmark on a plain machine cannot assume; so the N calls are
spread over `jobs` concurrent processes, as many as `grade batch` gets workers.
"""
from __future__ import annotations

import json
import subprocess
import time
import zipfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from .checks import CHECKS, PART_POINTS
from .corpus import Submission, student_notebook
from .result import ToolRun
from .venvs import tool_env


def test_file(part: str) -> str:
    """One Otter test file (exception-based format) with the part's checks as test cases."""
    lines = ["OK_FORMAT = False", "", "from otter.test_files import test_case", "",
             f"name = {part!r}", f"points = {PART_POINTS[part]!r}", ""]
    for check in (c for c in CHECKS if c.part == part):
        lines += [f"@test_case(name={check.name!r}, points={check.points!r})",
                  check.function(f"test_{check.name}", param="env"), ""]
    return "\n".join(lines)


def build_autograder(path: Path) -> Path:
    """The autograder zip `otter run -a` takes: otter_config.json and tests/<part>.py."""
    config = {"lang": "python", "pdf": False, "zips": False, "print_summary": False, "logo": False,
              "show_stdout": False}
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("otter_config.json", json.dumps(config))
        zf.writestr("requirements.txt", "")
        for part in PART_POINTS:
            zf.writestr(f"tests/{part}.py", test_file(part))
    return path


def prepare(subs: list[Submission], work: Path) -> tuple[Path, list[Path]]:
    """Write the autograder and one folder per student holding hw03.ipynb."""
    work.mkdir(parents=True, exist_ok=True)
    autograder = build_autograder(work / "autograder.zip")
    notebooks = []
    for sub in subs:
        folder = work / "submissions" / sub.student
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "hw03.ipynb").write_bytes(student_notebook(sub))
        notebooks.append(folder / "hw03.ipynb")
    return autograder, notebooks


def _score(results: Path) -> float | None:
    """Percent of the points from otter's results.json (Gradescope format), None when missing."""
    if not results.is_file():
        return None
    data = json.loads(results.read_text())
    tests = data.get("tests", [])
    total = sum(t.get("max_score") or 0 for t in tests) or sum(PART_POINTS.values())
    got = data["score"] if "score" in data else sum(t.get("score") or 0 for t in tests)
    return 100.0 * got / total


def run(subs: list[Submission], venv: Path, work: Path, entries: int, jobs: int, timeout: float) -> ToolRun:
    """Time `otter run` over every student's notebook, `jobs` at a time."""
    venv, work = venv.resolve(), work.resolve()
    autograder, notebooks = prepare(subs, work)
    env, otter = tool_env(venv), str(venv / "bin" / "otter")
    failures: list[str] = []
    done = [0]

    def grade_one(nb: Path) -> None:
        out = nb.parent / "out"
        out.mkdir(exist_ok=True)
        cmd = [otter, "run", "-a", str(autograder), "-o", str(out), "--no-logo", str(nb)]
        try:
            proc = subprocess.run(cmd, env=env, cwd=nb.parent, capture_output=True, text=True, timeout=timeout)
            (nb.parent / "otter.log").write_text(proc.stdout + proc.stderr)
            if proc.returncode:
                failures.append(nb.parent.name)
        except subprocess.TimeoutExpired:
            failures.append(nb.parent.name)
        done[0] += 1
        if done[0] % 25 == 0:
            print(f"[anchors] otter: {done[0]}/{len(notebooks)} notebooks", flush=True)

    start = time.perf_counter()
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        list(pool.map(grade_one, notebooks))
    wall = time.perf_counter() - start
    scores = {nb.parent.name: s for nb in notebooks if (s := _score(nb.parent / "out" / "results.json")) is not None}
    note = f"{jobs} concurrent `otter run`; {len(failures)} notebooks without a result (unreadable or crashed)"
    return ToolRun("otter-grader 7.0.0", f"otter run -a autograder.zip -o OUT --no-logo hw03.ipynb  (x{len(notebooks)}, "
                   f"{jobs} at a time)", entries, len(notebooks), wall, scores, note)

