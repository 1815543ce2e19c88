"""Public checks for dropout.py."""
import torch

from graders.core.compare import expect_tensor, expect_true
from graders.i18n import _


def test_eval_mode_returns_input(student):
    x = torch.randn(5, 4)
    out = student.harness.dropout_call(x, 0.5, training=False, label="dropout(x, training=False)")
    expect_tensor(out["y"], x, name="dropout(x, training=False)")


def test_kept_values_are_scaled(student):
    y = student.harness.dropout_call(torch.ones(1000), 0.5, label="dropout(ones, p=0.5)")["y"]
    kept = y[y != 0]
    expect_true(kept.numel() > 0 and torch.allclose(kept, torch.full_like(kept, 2.0)),
                _("kept elements of dropout(ones, p=0.5) should equal 1 / (1 - p) = 2"))


def test_drops_a_fraction_p(student):
    # p is the probability of DROPPING an element: about 20% zeros for p = 0.2 (10 000 draws: within 0.03).
    y = student.harness.dropout_call(torch.ones(10_000), 0.2, label="dropout(ones(10000), p=0.2)")["y"]
    zeros = float((y == 0).float().mean())
    expect_true(abs(zeros - 0.2) < 0.03,
                _("dropout(ones(10000), p=0.2) zeroed {share:.0%} of the elements; about 20% expected").format(
                    share=zeros))
