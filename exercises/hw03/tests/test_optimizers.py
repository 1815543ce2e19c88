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


# p = 1, gradients 2, -1, 0.5 on three steps; worked by hand from the formulas in README.md, e.g. Momentum
# (lr 0.1, beta 0.9): s = 2, p = 0.8; s = 0.9*2 + 0.1*(-1) = 1.7, p = 0.63; s = 1.58, p = 0.472.
THREE_STEPS = {
    "Momentum": ({"lr": 0.1}, [0.8, 0.63, 0.472]),
    "AdaGrad": ({"lr": 0.1}, [0.90000005, 0.94472139, 0.92289961]),
    "RMSProp": ({"lr": 0.1, "eps": 0.1}, [0.72694588, 0.8554421, 0.78987442]),
    "Adam": ({"lr": 0.1}, [0.9, 0.8733663, 0.83932338]),
}


@pytest.mark.parametrize("cls", list(THREE_STEPS))
def test_three_steps(student, cls):
    kwargs, expected = THREE_STEPS[cls]
    grads = [[torch.tensor([g], dtype=torch.float64)] for g in (2.0, -1.0, 0.5)]
    trajectory = student.harness.run_optimizer(cls, [torch.ones(1, dtype=torch.float64)], grads, kwargs,
                                               label=f"{cls}: three steps")
    got = torch.stack([step[0] for step in trajectory]).reshape(-1)
    expect_tensor(got, torch.tensor(expected, dtype=torch.float64),
                  name=_("{cls}: p after each of three steps").format(cls=cls), dtype=False, atol=1e-6)
