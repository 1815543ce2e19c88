"""Benchmark: `grade batch hw03` over N generated submissions in a Canvas-style download.

Usage: python bench/bench_batch.py [--n 200] [--workers N] [--scheduler tcp://HOST:8786 | --scheduler local]
Prints the wall time, throughput and the reconciliation line for README's performance section.
With --scheduler, the same batch is graded twice in the same run, on the local pool and on the
Dask cluster (`local`: a LocalCluster of --workers processes, one thread each, started here),
and the Dask run's overhead over the local pool is printed.
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


def grade(archive: Path, outdir: Path, workers: int, scheduler: str | None) -> tuple[float, str]:
    """One `grade batch --force` in a fresh process: (wall seconds, its stdout)."""
    extra = ["--scheduler", scheduler] if scheduler else ["--workers", str(workers)]
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", "from graders.cli import run; run()", "batch", "hw03",
                           str(archive), "-o", str(outdir), "--force", *extra],
                          capture_output=True, text=True, check=True)
    return time.perf_counter() - start, proc.stdout.strip()


def on_dask(archive: Path, tmp: Path, workers: int, scheduler: str) -> float:
    """The batch on the Dask cluster (a LocalCluster started here for `local`); wall seconds."""
    if scheduler != "local":
        elapsed, out = grade(archive, tmp / "dask", workers, scheduler)
        print(out)
        return elapsed
    from distributed import LocalCluster

    with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        elapsed, out = grade(archive, tmp / "dask", workers, cluster.scheduler_address)
    print(out)
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=200)
    parser.add_argument("--workers", type=int, default=os.cpu_count())
    parser.add_argument("--scheduler", help="also grade on this Dask scheduler (`local`: a LocalCluster)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        archive = Path(tmp) / "canvas.zip"
        make_batch(args.n, archive, seed=0)
        elapsed, out = grade(archive, Path(tmp) / "out", args.workers, None)
        print(out)
        print(f"{args.n} submissions, {args.workers} workers, {os.cpu_count()} cores: {elapsed:.1f} s wall, "
              f"{args.n / elapsed:.2f} submissions/s")
        if args.scheduler:
            dask_s = on_dask(archive, Path(tmp), args.workers, args.scheduler)
            print(f"Dask ({args.scheduler}, {args.workers} workers): {dask_s:.1f} s wall, "
                  f"{args.n / dask_s:.2f} submissions/s; overhead over the local pool {dask_s / elapsed - 1:+.1%}")


if __name__ == "__main__":
    main()
