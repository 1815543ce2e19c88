"""Benchmark: time per symbolic answer check over the test table of equivalent and wrong answers.

Usage: python bench/bench_symbolic.py [--repeat 3]
Prints the median, 90th percentile and maximum per check (ms), and the median per answer key, for
README's performance section. Parsed keys are cached (equivalence.parse_trusted); each check is bounded
by its time limit (2 s by default).
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
    per_key: dict[str, list[float]] = {}
    for _ in range(args.repeat):
        for key, text in table:
            start = time.perf_counter()
            check_equivalent(text, keys[key])
            times.append((time.perf_counter() - start) * 1000)
            per_key.setdefault(key, []).append(times[-1])
    times.sort()
    for key, values in sorted(per_key.items()):
        print(f"  {key}: median {statistics.median(values):.1f} ms over {len(values)} checks")
    p90 = times[int(0.9 * (len(times) - 1))]
    print(f"{len(table)} answers x {args.repeat}: median {statistics.median(times):.1f} ms, "
          f"p90 {p90:.1f} ms, max {max(times):.1f} ms per check")


if __name__ == "__main__":
    main()
