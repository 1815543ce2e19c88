"""hw04 reference runs: `grade reference hw04` trains the reference on 5 torch seeds in the sandbox.

Each case is one training run on the public table with the held-out features;
`summary` (run in the parent, which alone holds the labels) turns the recorded
logits into the accuracy and time per device kept in reference/hw04/manifest.json.
"""
from pathlib import Path
from typing import Any

from graders.core.golden import Case
from graders.hw04 import judge
from graders.hw04.splits import Split, load_split

SEEDS = (0, 1, 2, 3, 4)


def _split(spec: Any, data_path: Path | None) -> Split:
    return load_split(spec, data_path)


def cases(spec: Any = None, data_path: Path | None = None) -> list[Case]:
    """One harness call per seed: train on the training rows, return the held-out logits."""
    split = _split(spec, data_path)
    return [Case(f"reference_seed{seed}", "model", "harness", "train_and_predict",
                 [split.X_train, split.y_train, split.X_test], {"seed": seed}) for seed in SEEDS]


def summary(spec: Any, data_path: Path | None, outputs: dict[str, Any], seconds: dict[str, float]) -> dict[str, Any]:
    """Accuracy per seed (and min/max) with each run's wall time, for the manifest."""
    split = _split(spec, data_path)
    runs = {}
    for name, result in outputs.items():
        logits = judge.check_result(result, len(split.y_test))
        v = judge.verdict(logits, split.y_test, float(spec.data["target"]), float(spec.data["zero_at"]))
        runs[name] = {"accuracy": round(v.accuracy, 4), "wall_s": round(seconds[name], 3),
                      "fit_s": round(float(result["train_s"]), 3)}
    accuracies = [r["accuracy"] for r in runs.values()]
    return {"data": split.source, "rows": {"train": len(split.y_train), "heldout": len(split.y_test)},
            "accuracy_min": min(accuracies), "accuracy_max": max(accuracies), "runs": runs}
