"""hw05 reference — parameter initialisation, in place, weight of shape (out_features, in_features)."""

import math

import torch

__all__ = ["uniform_fan_in", "xavier_uniform", "xavier_normal", "kaiming_uniform", "kaiming_normal"]


def _fans(weight):
    """(fan_in, fan_out) of a Linear weight (out_features, in_features)."""
    if weight.dim() != 2:
        raise ValueError(f"expected a 2-D weight (out_features, in_features), got shape {tuple(weight.shape)}")
    return weight.shape[1], weight.shape[0]


def _uniform(weight, bound):
    with torch.no_grad():
        return weight.uniform_(-bound, bound)


def _normal(weight, std):
    with torch.no_grad():
        return weight.normal_(0.0, std)


def uniform_fan_in(weight):
    """U(-1/sqrt(d), 1/sqrt(d)), d = in_features: the default of nn.Linear's bias, the course's uniform init."""
    fan_in, _ = _fans(weight)
    return _uniform(weight, 1 / math.sqrt(fan_in))


def xavier_uniform(weight, gain=1.0):
    """U(-a, a), a = gain * sqrt(6 / (fan_in + fan_out)): variance 2 / (fan_in + fan_out) for gain 1."""
    fan_in, fan_out = _fans(weight)
    return _uniform(weight, gain * math.sqrt(6 / (fan_in + fan_out)))


def xavier_normal(weight, gain=1.0):
    """N(0, std^2), std = gain * sqrt(2 / (fan_in + fan_out))."""
    fan_in, fan_out = _fans(weight)
    return _normal(weight, gain * math.sqrt(2 / (fan_in + fan_out)))


def kaiming_uniform(weight):
    """U(-b, b), b = sqrt(6 / fan_in): variance 2 / fan_in, which keeps ReLU activations' scale."""
    fan_in, _ = _fans(weight)
    return _uniform(weight, math.sqrt(6 / fan_in))


def kaiming_normal(weight):
    """N(0, 2 / fan_in)."""
    fan_in, _ = _fans(weight)
    return _normal(weight, math.sqrt(2 / fan_in))
