"""Where one batch submission's CPU time goes in a pool process (issue 19): cProfile of Grader.grade.

A pool process holds one warm Grader; this grades hw03's `correct` sample once to
warm everything, then N more times under cProfile, and prints the top functions
by cumulative and by own time. The worker's own CPU (student code) runs in the
forked sandbox child and is not in this profile: what is shown is engine overhead.

    python bench/profile_batch_submission.py --n 5
"""
from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import resource
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=5)
    parser.add_argument("--sample", default="correct")
    parser.add_argument("--top", type=int, default=25)
    args = parser.parse_args()
    from graders.core.grader import Grader
    from graders.core.spec import load_assignment

    spec = load_assignment("hw03")
    path = ROOT / "submissions" / "hw03" / args.sample
    with Grader().start(wait=True) as grader:
        grader.grade(spec, path, public_only=False, device="cpu")  # warm: imports, collection caches
        cpu0, wall0 = time.process_time(), time.perf_counter()
        profile = cProfile.Profile()
        profile.enable()
        for _ in range(args.n):
            grader.grade(spec, path, public_only=False, device="cpu")
        profile.disable()
        cpu, wall = (time.process_time() - cpu0) / args.n, (time.perf_counter() - wall0) / args.n
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    print(f"per submission: {cpu:.3f} CPU-s in the grading process, {wall:.3f} s wall (profiled, n={args.n}); "
          f"children so far: {children.ru_utime + children.ru_stime:.1f} CPU-s")
    for key in ("cumulative", "tottime"):
        out = io.StringIO()
        pstats.Stats(profile, stream=out).strip_dirs().sort_stats(key).print_stats(args.top)
        print(f"\n--- by {key} ---")
        print("\n".join(line for line in out.getvalue().splitlines() if line.strip())[:6000])


if __name__ == "__main__":
    main()
