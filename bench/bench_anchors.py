"""Benchmark anchors: the same N hw03 submissions graded by `grade batch`, Otter-Grader and nbgrader.

Usage: python bench/bench_anchors.py [--n 200] [--tools otter,nbgrader,graders] [--workers N]
       [--seed 0] [--json bench/results/anchors.json] [--keep DIR]

Opt-in (not in CI, not collected by pytest). The first run creates bench/.anchors-venvs/{otter,nbgrader}
and installs each tool from PyPI there (pinned, torch==2.13.0 CPU first); later runs reuse them.
bench/make_batch.py writes the Canvas download `grade batch` gets; each student's newest entry becomes
the equivalent notebook for Otter-Grader (`otter run`, no containers) and nbgrader
(`nbgrader autograde`), with checks equivalent to hw03's public tests (bench/anchors/checks.py).
Prints a table (tool, N, wall seconds, submissions/s, ratio vs grade batch) and writes it as JSON.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import tempfile
import time
from pathlib import Path
from typing import Callable

sys.path.insert(0, str(Path(__file__).resolve().parent))
from anchors import corpus, graders_tool, nbgrader_tool, otter_tool, venvs  # noqa: E402
from anchors.result import ToolRun  # noqa: E402
from make_batch import make_batch  # noqa: E402

TOOLS = ("graders", "otter", "nbgrader")
DEFAULT_JSON = Path(__file__).resolve().parent / "results" / "anchors.json"


def _tools(text: str) -> list[str]:
    chosen = [t.strip() for t in text.split(",") if t.strip()]
    unknown = sorted(set(chosen) - set(TOOLS))
    if unknown or not chosen:
        raise argparse.ArgumentTypeError(f"--tools takes a comma-separated subset of {','.join(TOOLS)}")
    return chosen


def table(runs: list[ToolRun]) -> str:
    """The comparison table; the ratio is grade batch's throughput over the tool's."""
    base = next((r for r in runs if r.tool.startswith("graders")), None)
    lines = [f"{'tool':<24} {'N':>5} {'items':>6} {'wall s':>9} {'subm/s':>8} {'grade batch is':>15}"]
    for r in runs:
        ratio = f"{base.per_s / r.per_s:.1f}x faster" if base and r is not base and r.per_s else "-"
        lines.append(f"{r.tool:<24} {r.entries:>5} {r.graded_items:>6} {r.wall_s:>9.1f} {r.per_s:>8.3f} {ratio:>15}")
    return "\n".join(lines)


def run_all(args: argparse.Namespace, work: Path, save: Callable[[list[ToolRun]], None]) -> list[ToolRun]:
    """Make the corpus, then time each chosen tool on it, one after the other (saving after each)."""
    archive = work / "canvas.zip"
    manifest = make_batch(args.n, archive, seed=args.seed)
    subs = corpus.from_manifest(manifest)
    entries = len(manifest["entries"])
    print(f"[anchors] {entries} entries in {archive.name}; {len(subs)} students "
          f"({sum(s.code is None for s in subs)} unreadable) as notebooks for the anchors", flush=True)
    runs = []
    for tool in args.tools:
        print(f"[anchors] {tool} ...", flush=True)
        _warm(sys.executable if tool == "graders" else str(venvs.ensure(tool) / "bin" / "python"))
        if tool == "graders":
            run = graders_tool.run(archive, work, entries, args.workers)
        elif tool == "otter":
            run = otter_tool.run(subs, venvs.ensure("otter"), work / "otter", entries, args.workers, args.timeout)
        else:
            run = nbgrader_tool.run(subs, venvs.ensure("nbgrader"), work / "nbgrader", entries, args.timeout)
        print(f"[anchors] {run.tool}: {run.wall_s:.1f} s, {run.per_s:.3f} submissions/s; {run.note}", flush=True)
        runs.append(run)
        save(runs)
    return runs


def _warm(python: str) -> None:
    """Untimed, before each tool: import its torch once, so no tool's figure includes reading torch from a cold
    page cache (after an idle spell a first `import torch` took 22 s instead of 2.5 s on the dev machine)."""
    import subprocess

    subprocess.run([python, "-c", "import torch, torch._dynamo"], check=False)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=200, help="entries in the generated Canvas download")
    parser.add_argument("--tools", type=_tools, default=list(TOOLS),
                        help="comma-separated, run in this order: graders,otter,nbgrader")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1,
                        help="grade batch workers, and concurrent `otter run` processes")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--timeout", type=float, default=300.0, help="per-notebook limit for the anchors (s)")
    parser.add_argument("--json", type=Path, default=DEFAULT_JSON)
    parser.add_argument("--keep", type=Path, help="work here and keep it (default: a temporary folder)")
    args = parser.parse_args()
    started = time.time()

    def save(runs: list[ToolRun]) -> None:
        write_json(args, runs, started)

    if args.keep:
        args.keep.mkdir(parents=True, exist_ok=True)
        runs = run_all(args, args.keep.resolve(), save)
    else:
        with tempfile.TemporaryDirectory(prefix="anchors-") as tmp:
            runs = run_all(args, Path(tmp), save)
    print(table(runs))
    print(f"wrote {args.json}")


def write_json(args: argparse.Namespace, runs: list[ToolRun], started: float) -> None:
    """The table as JSON, with the machine and the exact command."""
    result = {"n": args.n, "seed": args.seed, "workers": args.workers, "cores": os.cpu_count(),
              "machine": platform.machine(), "python": platform.python_version(),
              "load_avg_at_end": os.getloadavg(),
              "started": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(started)),
              "command": "python bench/bench_anchors.py " + " ".join(sys.argv[1:]),
              "runs": [r.summary() for r in runs]}
    base = next((r for r in runs if r.tool.startswith("graders")), None)
    for r, s in zip(runs, result["runs"]):
        s["graders_speedup"] = round(base.per_s / r.per_s, 2) if base and r is not base and r.per_s else None
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(result, indent=1) + "\n")

if __name__ == "__main__":
    main()
