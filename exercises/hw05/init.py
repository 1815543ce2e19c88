"""hw05 — parameter initialisation (course §5).

Each function fills `weight`, a tensor of shape (out_features, in_features) as in
nn.Linear, IN PLACE (under torch.no_grad()) and returns it. fan_in = in_features =
weight.shape[1], fan_out = out_features = weight.shape[0]. Draw with torch's random
generator (torch.rand / torch.randn / Tensor.uniform_ / Tensor.normal_), so that
torch.manual_seed reproduces the draw.
"""

import math

import torch


def uniform_fan_in(weight):
    """U(-1/sqrt(d), 1/sqrt(d)) with d = in_features (the course's "均匀分布初始化")."""
    raise NotImplementedError("uniform_fan_in: fill weight with U(-1/sqrt(d), 1/sqrt(d)), d = in_features")


def xavier_uniform(weight, gain=1.0):
    """Xavier/Glorot uniform: U(-a, a), a = gain * sqrt(6 / (fan_in + fan_out))."""
    raise NotImplementedError("xavier_uniform: fill weight with U(-a, a), a = gain * sqrt(6 / (fan_in + fan_out))")


def xavier_normal(weight, gain=1.0):
    """Xavier/Glorot normal: N(0, std^2), std = gain * sqrt(2 / (fan_in + fan_out))."""
    raise NotImplementedError("xavier_normal: fill weight with N(0, std^2), std = gain * sqrt(2 / (fan_in + fan_out))")


def kaiming_uniform(weight):
    """Kaiming/He uniform for ReLU (gain sqrt(2), fan_in mode): U(-b, b), b = sqrt(6 / fan_in)."""
    raise NotImplementedError("kaiming_uniform: fill weight with U(-b, b), b = sqrt(6 / fan_in)")


def kaiming_normal(weight):
    """Kaiming/He normal for ReLU (fan_in mode): N(0, 2 / fan_in), i.e. std = sqrt(2 / fan_in)."""
    raise NotImplementedError("kaiming_normal: fill weight with N(0, 2 / fan_in)")
