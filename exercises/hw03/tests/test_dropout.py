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
