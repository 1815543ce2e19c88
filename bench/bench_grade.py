"""Benchmark: wall time of one `grade hw03 <sample>`, end to end, cold and warm.

cold:  a new `grade` process with no server: torch is imported once, in the grading process,
       and the worker template is forked from it (issue 19; before, the template was a second
       interpreter importing torch again).
warm:  `grade server start` has run; `grade` is a thin client and the server
       forks a fresh grading child (and fresh workers) for the submission.
floor: cold runs alternating with `python -c "import torch"` (the floor no cold grade can beat),
       the medians and their ratio; `--against TREE` adds the cold grade of another checkout
       (PYTHONPATH=TREE) to the alternation, for a before/after in one run.

Usage: python bench/bench_grade.py [--runs 5] [--sample submissions/hw03/correct] [--mode both|cold|warm|floor]
       python bench/bench_grade.py --mode floor --runs 7 [--against ../main]
Prints each run and the medians; figures go into README's performance section.
"""
from __future__ import annotations

import argparse
import os
import platform
import resource
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


def timed(command: list[str], env: dict[str, str], cwd: Path) -> tuple[float, float]:
    """Wall seconds, and CPU seconds of the whole process tree (grader, template, workers: all reaped)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(command, check=True, cwd=cwd, env=env, stdout=subprocess.DEVNULL)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime


def floor(runs: int, sample: str, env: dict[str, str], against: str | None) -> None:
    """Cold grades and bare torch imports (and another tree's cold grades), alternating run by run."""
    cold = GRADE + ["hw03", sample, "--no-server"]
    commands = {"cold grade": (cold, env, ROOT), "import torch": ([sys.executable, "-c", "import torch"], env, ROOT)}
    if against:  # run in that tree, its code first on sys.path
        tree = Path(against).resolve()
        commands["cold grade, --against"] = (cold, env | {"PYTHONPATH": str(tree)}, tree)
    times: dict[str, list[float]] = {label: [] for label in commands}
    cpu: dict[str, list[float]] = {label: [] for label in commands}
    for n in range(runs):
        for label, (command, run_env, cwd) in commands.items():
            wall, used = timed(command, run_env, cwd)
            times[label].append(wall)
            cpu[label].append(used)
            print(f"  run {n + 1}: {label}: {wall:.2f} s wall, {used:.2f} CPU-s")
    medians = {label: statistics.median(values) for label, values in times.items()}
    for label, values in times.items():
        print(f"{label}: median {medians[label]:.2f} s, min {min(values):.2f} s, max {max(values):.2f} s, {runs} runs; "
              f"median {statistics.median(cpu[label]):.2f} CPU-s (process tree)")
    for label in [x for x in medians if x.startswith("cold grade")]:
        print(f"ratio {label} / import torch: {medians[label] / medians['import torch']:.2f} (wall medians)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--sample", default="submissions/hw03/correct")
    parser.add_argument("--mode", choices=["both", "cold", "warm", "floor"], default="both")
    parser.add_argument("--against", help="--mode floor: also time the cold grade of this checkout")
    args = parser.parse_args()
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
          f"load average {os.getloadavg()[0]:.1f}")
    # A private runtime folder: never measure (or stop) a server the user has running.
    env = os.environ | {"XDG_RUNTIME_DIR": tempfile.mkdtemp(prefix="graders-bench-")}
    if args.mode == "floor":
        floor(args.runs, args.sample, env, args.against)
        return
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
