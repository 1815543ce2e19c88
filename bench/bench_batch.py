"""Benchmark: `grade batch hw03` over N generated submissions in a Canvas-style download.

Usage: python bench/bench_batch.py [--n 200] [--workers N]
Prints the wall time, throughput and the reconciliation line for README's performance section.
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from make_batch import make_batch  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=200)
    parser.add_argument("--workers", type=int, default=os.cpu_count())
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        archive = Path(tmp) / "canvas.zip"
        make_batch(args.n, archive, seed=0)
        start = time.perf_counter()
        proc = subprocess.run([sys.executable, "-c", "from graders.cli import run; run()", "batch", "hw03",
                               str(archive), "-o", str(Path(tmp) / "out"), "--force", "--workers", str(args.workers)],
                              capture_output=True, text=True, check=True)
        elapsed = time.perf_counter() - start
    print(proc.stdout.strip())
    print(f"{args.n} submissions, {args.workers} workers, {os.cpu_count()} cores: {elapsed:.1f} s wall, "
          f"{args.n / elapsed:.2f} submissions/s")


if __name__ == "__main__":
    main()
