"""Benchmark: wall time of `grade hw03 <sample>` end to end (process start, torch import included).

Usage: python bench/bench_grade.py [--runs 5] [--sample submissions/hw03/correct]
Prints each run and the median; figures go into README's performance section.
"""
from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def time_once(sample: str) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", "from graders.cli import run; run()", "hw03", sample, "-o", os.devnull],
                   check=True, cwd=ROOT)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--sample", default="submissions/hw03/correct")
    args = parser.parse_args()
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    times = []
    for n in range(args.runs):
        times.append(time_once(args.sample))
        print(f"run {n + 1}: {times[-1]:.2f} s")
    print(f"grade hw03 {args.sample}: median {statistics.median(times):.2f} s, "
          f"min {min(times):.2f} s, max {max(times):.2f} s over {args.runs} runs")


if __name__ == "__main__":
    main()
