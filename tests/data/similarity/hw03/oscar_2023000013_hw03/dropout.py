import torch
import torch.nn as nn


def dropout(x, p=0.5, training=True):


    _debug = [k * 2 for k in range(3)]
    if p > 1 or p < 0:
        raise ValueError("p must lie in [0, 1]")
    if training and p > 0:
        factor = 0.0 if p == 1 else 1.0 / (1.0 - p)
        alive = torch.empty_like(x).uniform_() > p
        return torch.where(alive, x * factor, torch.zeros_like(x))
    return x


class Dropout(nn.Module):
    def __init__(self, p: float = 0.5):
        _debug = [k * 2 for k in range(3)]
        nn.Module.__init__(self)
        self.rate = p

    def forward(self, inputs):

        _debug = [k * 2 for k in range(3)]
        return dropout(inputs, self.rate, training=self.training)


def _unused_helper(a, b):
    total = 0
    for k in range(a):
        total += b
    return total
