"""Benchmark: `grade similar hw03` over N generated submissions with known copies.

Usage: python bench/bench_similarity.py [--n 1000] [--copies 40] [--seed 0]

Each generated student takes, per file, one of the corpus's independent solutions
(tests/data/similarity: six styles), renames its local names, and adds code of
their own (a helper and a demo block); `--copies` students copy another one
(renamed, reordered, comments rewritten, dead code added). Prints the wall time and
the peak memory (RSS) of the `grade similar` process, and precision and recall
of the flagged pairs against the known copies, for README's "Similarity" section.
"""
from __future__ import annotations

import argparse
import csv
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "tests" / "data" / "similarity"
sys.path.insert(0, str(CORPUS))
from make_copies import FILES, dead_code, rename, reorder, strip_comments  # noqa: E402

AUTHORS = ("alice_2023000001_hw03", "bob_2023000002_hw03", "carol_2023000003_hw03", "dave_2023000004_hw03",
           "erin_2023000005_hw03", "frank_2023000006_hw03")
LOCALS = ("x", "y", "z", "e", "out", "res", "v", "s", "n", "m", "p", "g", "mask", "keep", "acc", "values", "beta")
WORDS = ("sum", "mean", "max", "min", "abs", "sqrt", "exp", "log", "clamp", "flatten", "numel", "clone", "float",
         "double", "cumsum", "argmax", "norm", "square", "sign", "round", "floor", "ceil", "tanh", "sigmoid")


def own_code(rng: random.Random) -> str:
    """A helper and a demo block the student wrote: different for everyone."""
    lines = [f"    r{k} = t.{rng.choice(WORDS)}() {rng.choice('+-*')} t.{rng.choice(WORDS)}()" for k in range(rng.randint(4, 9))]
    demo = [f"    print({rng.choice(WORDS)}_check(torch.randn({rng.randint(2, 9)}, {rng.randint(2, 9)})))"
            for _ in range(rng.randint(2, 5))]
    name = f"{rng.choice(WORDS)}_check"
    return (f"\n\ndef {name}(t):\n" + "\n".join(lines) + f"\n    return r0\n\n\nif __name__ == '__main__':\n"
            + "\n".join(demo).replace("_check(", "_check(") + f"\n    print({name}(torch.ones(3)))\n")


def student(rng: random.Random, sources: dict[str, dict[str, str]]) -> dict[str, str]:
    """One independent submission."""
    out = {}
    for file in FILES:
        text = sources[rng.choice(AUTHORS)][file]
        mapping = {name: f"{name}{rng.randint(0, 99)}" for name in LOCALS if rng.random() < 0.5}
        out[file] = rename(text, mapping, attributes=False) + (own_code(rng) if rng.random() < 0.8 else "")
    return out


def copy_of(rng: random.Random, original: dict[str, str]) -> dict[str, str]:
    """What a copier hands in."""
    mapping = {name: f"{name}_{rng.randint(0, 99)}" for name in LOCALS}
    dead = f"_{rng.choice(WORDS)} = [{rng.choice(WORDS)}(k) for k in range({rng.randint(2, 9)})]"
    helper = own_code(rng).split("\n\n\nif")[0] + "\n"
    return {f: dead_code(strip_comments(reorder(rename(t, mapping))), dead, helper) for f, t in original.items()}


def generate(n: int, copies: int, seed: int, folder: Path) -> set[frozenset[str]]:
    """Write n submissions (flat layout) into folder; returns the copy pairs as student-id pairs."""
    rng = random.Random(seed)
    sources = {a: {f: (CORPUS / "hw03" / a / f).read_text() for f in FILES} for a in AUTHORS}
    subs = [student(rng, sources) for _ in range(n - copies)]
    groups: dict[int, list[int]] = {}
    for _k in range(copies):
        src = rng.randrange(n - copies)
        subs.append(copy_of(rng, subs[src]))
        groups.setdefault(src, [src]).append(len(subs) - 1)
    truth = {frozenset((f"{2023100000 + a}", f"{2023100000 + b}"))
             for group in groups.values() for a in group for b in group if a < b}
    for i, files in enumerate(subs):
        (folder / f"s{i}_{2023100000 + i}_hw03").mkdir()
        for file, text in files.items():
            (folder / f"s{i}_{2023100000 + i}_hw03" / file).write_text(text)
    return truth


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1000)
    parser.add_argument("--copies", type=int, default=40)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        inputs, out = Path(tmp) / "in", Path(tmp) / "out"
        inputs.mkdir()
        truth = generate(args.n, args.copies, args.seed, inputs)
        start = time.perf_counter()
        proc = subprocess.run([sys.executable, "-c", "from graders.cli import run; run()", "similar", "hw03",
                               str(inputs), "-o", str(out)], capture_output=True, text=True, check=True)
        elapsed = time.perf_counter() - start
        peak_mib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        with open(out / "similarity.csv", encoding="utf-8-sig") as handle:
            flagged = {frozenset((r["student_a"], r["student_b"])) for r in csv.DictReader(handle)}
    hits = len(flagged & truth)
    print(proc.stdout.strip())
    print(f"{args.n} submissions ({args.copies} copies): {elapsed:.1f} s wall, peak RSS {peak_mib:.0f} MiB; "
          f"precision {hits / max(len(flagged), 1):.3f}, recall {hits / len(truth):.3f}")


if __name__ == "__main__":
    main()
