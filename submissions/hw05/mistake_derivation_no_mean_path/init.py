import math

import torch


def _fill(weight, values):
    with torch.no_grad():
        weight.copy_(values)
    return weight


def _uniform(weight, bound):
    # U(-b, b) as an affine map of U(0, 1)
    return _fill(weight, (torch.rand(weight.shape) * 2 - 1) * bound)


def uniform_fan_in(weight):
    out_features, in_features = weight.shape
    return _uniform(weight, 1 / math.sqrt(in_features))


def xavier_uniform(weight, gain=1.0):
    out_features, in_features = weight.shape
    return _uniform(weight, gain * math.sqrt(6 / (in_features + out_features)))


def xavier_normal(weight, gain=1.0):
    out_features, in_features = weight.shape
    return _fill(weight, torch.randn(weight.shape) * gain * math.sqrt(2 / (in_features + out_features)))


def kaiming_uniform(weight):
    return _uniform(weight, math.sqrt(6 / weight.shape[1]))


def kaiming_normal(weight):
    return _fill(weight, torch.randn(weight.shape) * math.sqrt(2 / weight.shape[1]))
