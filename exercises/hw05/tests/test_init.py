"""Public checks for init.py (the hidden suite tests the distributions statistically)."""
import math

import torch

from graders.core.compare import expect_true
from graders.i18n import _


def test_kaiming_uniform_fills_in_place_within_its_bound(student):
    out = student.harness.init_call("kaiming_uniform", (30, 40), 0, {}, label="kaiming_uniform(weight (30, 40))")
    after, bound = out["after"], math.sqrt(6 / 40)
    expect_true(isinstance(after, torch.Tensor) and not torch.isnan(after).any() and after.abs().max() <= bound,
                _("kaiming_uniform must fill weight in place with values in [-{bound}, {bound}]").format(
                    bound=f"{bound:.4f}"))
