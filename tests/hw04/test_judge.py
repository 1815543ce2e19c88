"""hw04 judging: credit, confusion matrix and what a student reads (pure functions)."""
from __future__ import annotations

import re

import numpy as np
import pytest
import torch

from graders.core.compare import Mismatch
from graders.hw04 import judge


@pytest.mark.parametrize("accuracy, fraction", [(0.99, 1.0), (0.97, 1.0), (0.885, 0.5), (0.80, 0.0), (0.5, 0.0)])
def test_credit_is_linear_from_080_to_097(accuracy, fraction):
    assert judge.credit(accuracy, 0.97, 0.80) == pytest.approx(fraction)


def test_verdict_counts_and_confusion():
    y = np.array([0, 1, 2, 3, 3])
    logits = torch.nn.functional.one_hot(torch.tensor([0, 1, 2, 2, 3]), 4).float()
    v = judge.verdict(logits, y, 0.97, 0.8)
    assert (v.correct, v.total, v.accuracy) == (4, 5, 0.8)
    assert v.confusion[3].tolist() == [0, 0, 1, 1] and v.confusion.sum() == 5


def test_message_names_accuracy_target_time_and_matrix():
    v = judge.Verdict(0.9815, 1963, 2000, np.diag([498, 487, 480, 498]), 1.0)
    text = judge.message(v, 0.97, 0.24, "cpu", "held-out rows")
    assert text.startswith("held-out accuracy 0.9815 (1963/2000) on held-out rows; target 0.97: full marks; "
                           "trained in 0.2 s on cpu\nconfusion matrix (rows: true price range, columns: predicted):")
    assert "\n    3     0     0     0   498" in text


MODULE = ["phone_price.Net", "torch.nn.modules.module.Module", "builtins.object"]


@pytest.mark.parametrize("result, message", [
    ({"mro": ["numpy.ndarray", "builtins.object"]}, "fit() returned a numpy.ndarray, not a torch.nn.Module"),
    ({"mro": "torch.nn.modules.module.Module"}, "fit() returned a ?, not a torch.nn.Module"),
    ({"mro": MODULE, "logits_type": "list"}, "the module's forward returned a list, not a tensor of logits"),
    ({"mro": MODULE, "logits": torch.zeros(3, 2)}, "logits of shape (3, 2) for 3 rows; expected (3, 4)"),
    ({"mro": MODULE, "logits": torch.tensor([[0.0, 1, 2, float("nan")]] * 3)}, "nan or inf logits for 3 of 3"),
])
def test_bad_results_are_rejected_with_a_clear_message(result, message):
    with pytest.raises(Mismatch, match=re.escape(message)):
        judge.check_result(result, 3)


def test_hint_says_standardize_when_far_off_and_decay_when_close():
    far = judge.Verdict(0.53, 1060, 2000, np.zeros((4, 4)), 0.0)
    close = judge.Verdict(0.96, 1920, 2000, np.zeros((4, 4)), 0.94)
    assert judge.hint(far).startswith("standardize the features inside the module")
    assert judge.hint(close).startswith("nearly there: decay the learning rate")


def test_confusion_rows_line_up_and_read_the_same_in_every_language():
    """Numbers only: the matrix is identical in zh and en (its heading, a message, names the axes)."""
    lines = judge.render_confusion(np.diag([1, 22, 333, 4444])).splitlines()
    assert lines[0].split() == ["0", "1", "2", "3"] and lines[4].endswith(" 4444")
    assert len({len(line) for line in lines}) == 1
