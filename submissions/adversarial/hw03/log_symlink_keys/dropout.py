import torch
from torch import nn


def dropout(x, p=0.5, training=True):
    if p < 0 or p > 1 or p != p:
        raise ValueError(f"p must be in [0, 1], got {p}")
    if not training or p == 0:
        return x
    keep_prob = torch.full(x.shape, 1.0 - p, device=x.device)
    dropped = torch.bernoulli(keep_prob) == 0
    out = x.masked_fill(dropped, 0)
    if p < 1:
        out = out / (1 - p)
    return out


class Dropout(nn.Module):
    def __init__(self, p=0.5):
        super().__init__()
        if not 0 <= p <= 1:
            raise ValueError(f"p must be in [0, 1], got {p}")
        self.p = p

    def forward(self, x):
        return dropout(x, p=self.p, training=self.training)
