import torch
import torch.nn as nn


def dropout(x, p=0.5, training=True):
    if p > 1 or p < 0:
        raise ValueError("p must lie in [0, 1]")
    if training and p > 0:
        scale = 0.0 if p == 1 else 1.0 / (1.0 - p)
        survivors = torch.empty_like(x).uniform_() > p
        return torch.where(survivors, x * scale, torch.zeros_like(x))
    return x


class Dropout(nn.Module):
    def __init__(self, p: float = 0.5):
        nn.Module.__init__(self)
        self.rate = p

    def forward(self, inputs):
        return dropout(inputs, self.rate, training=self.training)
