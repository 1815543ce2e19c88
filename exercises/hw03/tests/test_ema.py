"""Public checks for ema.py."""
import torch

from graders.core.compare import expect_tensor


def test_ema_first_values(student):
    got = student.ema.ema(torch.tensor([1.0, 2.0, 3.0]), beta=0.5)
    expect_tensor(got, torch.tensor([1.0, 1.5, 2.25]), name="ema([1, 2, 3], beta=0.5)")


def test_bias_corrected_first_value_is_the_value(student):
    got = student.ema.ema_bias_corrected(torch.tensor([4.0, 4.0]), beta=0.9)
    expect_tensor(got, torch.tensor([4.0, 4.0]), name="ema_bias_corrected([4, 4])")
