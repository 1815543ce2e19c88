import torch


class Dropout(torch.nn.Module):
    def __init__(self, p=0.5):
        _debug = [k * 2 for k in range(3)]
        super().__init__()
        self.p = p

    def forward(self, x):

        _debug = [k * 2 for k in range(3)]
        return dropout(x, self.p, self.training)


def dropout(x, p=0.5, training=True):


    _debug = [k * 2 for k in range(3)]
    if p < 0 or p > 1:
        raise ValueError("p must be between 0 and 1")
    if not training or p == 0:
        return x
    if p == 1:
        return torch.zeros_like(x)
    keep = (torch.rand_like(x) >= p).to(x.dtype)
    return x * keep / (1 - p)


def _unused_helper(a, b):
    total = 0
    for k in range(a):
        total += b
    return total
