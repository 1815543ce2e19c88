"""hw04 judging (pure): held-out logits and labels -> accuracy, confusion matrix, credit and a message.

Runs in the trusted parent on what the worker sent back; labels never leave it.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import torch


from graders.core.compare import Mismatch
from graders.i18n import N_, _, join_messages

CLASSES = 4
MODULE = "torch.nn.modules.module.Module"
NOT_A_MODULE_HINT = N_("fit() must return the trained torch.nn.Module itself (e.g. `return model`); "
                       "the grader runs it on rows you never see")


@dataclass(frozen=True)
class Verdict:
    """What the held-out rows say about a model."""

    accuracy: float
    correct: int
    total: int
    confusion: np.ndarray  # rows: true price range, columns: predicted
    fraction: float


def credit(accuracy: float, target: float, zero_at: float) -> float:
    """Full credit at `target`, none at or below `zero_at`, linear in between."""
    if accuracy >= target:
        return 1.0
    return float(min(1.0, max(0.0, (accuracy - zero_at) / (target - zero_at))))


def confusion(y_true: np.ndarray, y_pred: np.ndarray) -> np.ndarray:
    """Counts of (true, predicted) pairs, CLASSES x CLASSES."""
    matrix = np.zeros((CLASSES, CLASSES), dtype=np.int64)
    np.add.at(matrix, (y_true, y_pred), 1)
    return matrix


def render_confusion(matrix: np.ndarray) -> str:
    """The matrix as aligned text, rows true 0..3, columns predicted 0..3.

    Numbers only, so it reads the same in every language (the heading above it,
    a message, says which axis is which)."""
    head = " " * 5 + " " + " ".join(f"{k:>5}" for k in range(CLASSES))
    rows = [f"{k:>5} " + " ".join(f"{n:>5}" for n in matrix[k]) for k in range(CLASSES)]
    return "\n".join([head, *rows])


def returned_type(result: Any) -> str | None:
    """The qualified name of what fit() returned when it is not a torch.nn.Module, else None.

    Judged here from the MRO names the worker reported: the worker only observes."""
    mro = result.get("mro") if isinstance(result, dict) else None
    if not isinstance(mro, list) or not all(isinstance(name, str) for name in mro) or not mro:
        return "?"
    return None if MODULE in mro else mro[0].removeprefix("builtins.")


def check_result(result: Any, rows: int) -> torch.Tensor:
    """The logits from the harness's answer; Mismatch saying what is wrong otherwise."""
    kind = returned_type(result)
    if kind is not None:
        raise Mismatch(_("fit() returned a {type}, not a torch.nn.Module").format(type=kind), _(NOT_A_MODULE_HINT))
    logits = result.get("logits")
    if not isinstance(logits, torch.Tensor):
        raise Mismatch(_("the module's forward returned a {type}, not a tensor of logits").format(
            type=result.get("logits_type", type(logits).__name__)),
            _("forward(x) must return a torch.Tensor of shape (N, 4)"))
    if tuple(logits.shape) != (rows, CLASSES):
        raise Mismatch(_("the module returned logits of shape {shape} for {rows} rows; expected ({rows}, {classes})")
                       .format(shape=tuple(logits.shape), rows=rows, classes=CLASSES),
                       _("one row of 4 class scores per input row"))
    if not torch.isfinite(logits.float()).all():
        bad = int((~torch.isfinite(logits.float())).any(dim=1).sum())
        raise Mismatch(_("the module returned nan or inf logits for {bad} of {rows} held-out rows").format(
            bad=bad, rows=rows), _("standardize the inputs inside the module; check for division by a zero std"))
    return logits


def verdict(logits: torch.Tensor, y_true: np.ndarray, target: float, zero_at: float) -> Verdict:
    """Accuracy and confusion of argmax(logits) against the held-out labels."""
    y_pred = logits.float().argmax(dim=1).numpy()
    correct = int((y_pred == y_true).sum())
    accuracy = correct / len(y_true)
    return Verdict(accuracy, correct, len(y_true), confusion(y_true, y_pred), credit(accuracy, target, zero_at))


def message(v: Verdict, target: float, train_s: float, device: str, source: str) -> str:
    """What a student reads: accuracy against the target, training time, the confusion matrix.

    `source` names the held-out rows (a message: Split.describe())."""
    mark = _("full marks") if v.fraction >= 1 else _("{fraction:.0%} of the points").format(fraction=v.fraction)
    summary = _("held-out accuracy {accuracy:.4f} ({correct}/{total}) on {source}; target {target:g}: {mark}; "
                "trained in {seconds:.1f} s on {device}").format(
        accuracy=v.accuracy, correct=v.correct, total=v.total, source=source, target=target, mark=mark,
        seconds=train_s, device=device)
    heading = _("confusion matrix (rows: true price range, columns: predicted):")
    return join_messages("\n", [summary, heading, render_confusion(v.confusion)])


def hint(v: Verdict) -> str:
    """Advice by how far off it is: no credit at all usually means raw, unscaled inputs."""
    if v.fraction <= 0:
        return _("standardize the features inside the module (ram is in the thousands, the binary ones 0/1) "
                 "and use Adam rather than plain SGD at lr 1e-3")
    return _("nearly there: decay the learning rate to 0 (e.g. cosine) so training settles, "
             "or use a model that respects the order of the price ranges")
