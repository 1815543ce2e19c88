"""Public checks for optimizers.py: one or two steps by hand."""
import pytest
import torch

from graders.core.compare import expect_tensor
from graders.i18n import _

ONE_STEP = {  # p = 1, g = 2, default hyper-parameters, value after one step
    "Momentum": 1 - 0.01 * 2,
    "AdaGrad": 1 - 0.01 * 2 / (2 + 1e-6),
    "RMSProp": 1 - 0.01 * 2 / ((0.1 * 4) ** 0.5 + 1e-6),
    "Adam": 1 - 0.001 * 2 / (2 + 1e-8),
}


@pytest.mark.parametrize("cls", list(ONE_STEP))
def test_one_step(student, cls):
    trajectory = student.harness.run_optimizer(cls, [torch.ones(1)], [[torch.full((1,), 2.0)]], {},
                                               label=f"{cls}.step()")
    expect_tensor(trajectory[0][0], torch.tensor([ONE_STEP[cls]]), name=_("{cls}: p after one step").format(cls=cls), dtype=False)
