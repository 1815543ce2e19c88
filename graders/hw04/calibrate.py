"""Calibrate hw04's data: the course's recipes and the reference over torch seeds, trained in the sandbox.

Instructor tool: `python -m graders.hw04.calibrate [--data CSV] [--seeds 5]`.
Each recipe (a folder of submissions/hw04 or reference/hw04) is trained through
the same harness and sandbox as grading; accuracies are computed here, in the
parent. The figures go into reference/hw04/manifest.json under "calibration".
"""
from __future__ import annotations

import argparse
import json
import time
from pathlib import Path
from typing import Any

from graders.core.grader import Grader
from graders.core.spec import Spec, load_assignment
from graders.core.submission import load_submission
from graders.hw04 import judge
from graders.hw04.splits import Split, load_split
from graders.i18n import _

RECIPES = ("reference", "course_untuned", "course_tuned", "correct_cosine_mlp")


def _folder(spec: Spec, recipe: str) -> Path:
    return spec.reference_dir if recipe == "reference" else spec.samples_dir / recipe


def run_recipe(spec: Spec, grader: Grader, recipe: str, split: Split, seeds: range,
               data: Path | None) -> dict[str, Any]:
    """Accuracy and wall time of one recipe on each seed."""
    accuracies, seconds = [], []
    for seed in seeds:
        session = grader.session(spec, load_submission(_folder(spec, recipe), spec), time_limit_s=900,
                                 hidden=(str(data),) if data else ())
        try:
            start = time.monotonic()
            result = session.request("model", {"op": "harness", "func": "train_and_predict",
                                               "args": [split.X_train, split.y_train, split.X_test],
                                               "kwargs": {"seed": seed}}, recipe, timeout=600)
            seconds.append(round(time.monotonic() - start, 2))
        finally:
            session.close()
        logits = judge.check_result(result, len(split.y_test))
        accuracies.append(round(judge.verdict(logits, split.y_test, 0.97, 0.8).accuracy, 4))
    return {"accuracy": accuracies, "min": min(accuracies), "max": max(accuracies), "wall_s": seconds}


def calibrate(spec: Spec, data: Path | None, seeds: range, recipes: tuple[str, ...]) -> dict[str, Any]:
    """Every recipe on one split (the synthetic tables, or the course CSV)."""
    split = load_split(spec, data)
    with Grader() as grader:
        figures = {r: run_recipe(spec, grader, r, split, seeds, data) for r in recipes}
    return {"data": split.source, "train_rows": len(split.y_train), "heldout_rows": len(split.y_test),
            "seeds": list(seeds), "device": "cpu", "recipes": figures}


def main() -> None:
    spec = load_assignment("hw04")  # first: it registers the hw04 catalog the help text is read from
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, help=_("the course's CSV (default: the synthetic tables)"))
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("--recipes", nargs="*", default=list(RECIPES))
    args = parser.parse_args()
    figures = calibrate(spec, args.data.resolve() if args.data else None, range(args.seeds), tuple(args.recipes))
    path = spec.reference_dir / "manifest.json"
    manifest = json.loads(path.read_text()) if path.is_file() else {}
    key = "synthetic" if args.data is None else "course_csv"
    manifest.setdefault("calibration", {})[key] = figures
    path.write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n")
    print(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
