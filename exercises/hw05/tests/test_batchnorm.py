"""Public checks for batchnorm.py."""
import torch

from graders.core.compare import expect_tensor


def test_training_output_has_zero_mean_and_unit_variance(student):
    x = torch.arange(12.0).reshape(4, 3) ** 1.5
    y = student.harness.batchnorm_run(3, [x], [], {}, label="BatchNorm1d(3)(x)")["train"][0]
    expected = (x - x.mean(0)) / torch.sqrt(x.var(0, unbiased=False) + 1e-5)
    expect_tensor(y, expected, name="BatchNorm1d(3)(x)")
