"""Benchmark: time per symbolic answer check over the test table of equivalent and wrong answers.

Usage: python bench/bench_symbolic.py [--repeat 3]
Prints the median, 90th percentile and maximum per check (ms) for README's performance section.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from graders.core.symbolic import check_equivalent, load_keys  # noqa: E402
from tests.core.symbolic.cases import EQUIVALENT, WRONG  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    keys = load_keys(ROOT / "graders" / "hw03" / "keys.toml")
    table = [(k, text) for k, text, *_ in EQUIVALENT + WRONG]
    times = []
    for _ in range(args.repeat):
        for key, text in table:
            start = time.perf_counter()
            check_equivalent(text, keys[key])
            times.append((time.perf_counter() - start) * 1000)
    times.sort()
    p90 = times[int(0.9 * (len(times) - 1))]
    print(f"{len(table)} answers x {args.repeat}: median {statistics.median(times):.1f} ms, "
          f"p90 {p90:.1f} ms, max {max(times):.1f} ms per check")


if __name__ == "__main__":
    main()
