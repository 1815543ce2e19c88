"""Benchmark: wall time of one `grade hw03 <sample>`, end to end, cold and warm.

cold: a new `grade` process with no server: it starts its own worker template
      (torch imported twice, in parallel: the grader's and the template's).
warm: `grade server start` has run; `grade` is a thin client and the server
      forks a fresh grading child (and fresh workers) for the submission.

Usage: python bench/bench_grade.py [--runs 5] [--sample submissions/hw03/correct] [--mode both|cold|warm]
Prints each run and the medians; figures go into README's performance section.
"""
from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GRADE = [sys.executable, "-c", "from graders.cli import run; run()"]


def time_once(sample: str, env: dict[str, str], *extra: str) -> float:
    start = time.perf_counter()
    subprocess.run(GRADE + ["hw03", sample, "-o", os.devnull, *extra], check=True, cwd=ROOT, env=env)
    return time.perf_counter() - start


def measure(label: str, runs: int, sample: str, env: dict[str, str], *extra: str) -> float:
    times = []
    for n in range(runs):
        times.append(time_once(sample, env, *extra))
        print(f"  {label} run {n + 1}: {times[-1]:.2f} s")
    median = statistics.median(times)
    print(f"{label}: grade hw03 {sample}: median {median:.2f} s, min {min(times):.2f} s, max {max(times):.2f} s "
          f"over {runs} runs")
    return median


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--sample", default="submissions/hw03/correct")
    parser.add_argument("--mode", choices=["both", "cold", "warm"], default="both")
    args = parser.parse_args()
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    # A private runtime folder: never measure (or stop) a server the user has running.
    env = os.environ | {"XDG_RUNTIME_DIR": tempfile.mkdtemp(prefix="graders-bench-")}
    results = {}
    if args.mode in ("both", "cold"):
        results["cold"] = measure("cold", args.runs, args.sample, env, "--no-server")
    if args.mode in ("both", "warm"):
        start = time.perf_counter()
        subprocess.run(GRADE + ["server", "start"], check=True, cwd=ROOT, env=env, stdout=subprocess.DEVNULL)
        print(f"  server start (once): {time.perf_counter() - start:.2f} s")
        try:
            time_once(args.sample, env)  # the first request pays for page-cache misses in the fresh server
            results["warm"] = measure("warm", args.runs, args.sample, env)
        finally:
            subprocess.run(GRADE + ["server", "stop"], cwd=ROOT, env=env, stdout=subprocess.DEVNULL)
    if len(results) == 2:
        print(f"per-submission overhead saved by the warm server: {results['cold'] - results['warm']:.2f} s")


if __name__ == "__main__":
    main()
