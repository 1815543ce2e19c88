"""`grade batch hw03` over the same Canvas download, timed the way bench/bench_batch.py times it."""
from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

from .result import ToolRun


def run(archive: Path, work: Path, entries: int, workers: int) -> ToolRun:
    """Time one `grade batch` (fresh output folder, --force: no cached reports) in this interpreter."""
    out = work / "graders-out"
    cmd = [sys.executable, "-c", "from graders.cli import run; run()", "batch", "hw03", str(archive),
           "-o", str(out), "--force", "--workers", str(workers)]
    start = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True)
    wall = time.perf_counter() - start
    (work / "graders.log").write_text(proc.stdout + proc.stderr)
    if proc.returncode:
        raise RuntimeError(f"grade batch failed (exit {proc.returncode}):\n{proc.stderr[-2000:]}")
    scores = {}
    for line in (out / "results.jsonl").read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        report = record.get("report")
        if report and report.get("max_score"):
            scores[f"{record['name']}_{record['student_id']}"] = 100.0 * report["score"] / report["max_score"]
    recon = next((ln for ln in proc.stdout.splitlines() if ln.startswith("reconciliation")), "")
    return ToolRun("graders (grade batch)", f"grade batch hw03 canvas.zip -o OUT --force --workers {workers}",
                   entries, entries, wall, scores, f"{workers} workers; public + hidden suites + derivation; {recon}")
