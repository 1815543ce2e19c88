import torch


def _check(p):
    if p < 0.0 or p > 1.0:
        raise ValueError("p not a probability")


def dropout(x, p=0.5, training=True):
    _check(p)
    if not training:
        return x
    if p == 0.0:
        return x.clone()
    if p == 1.0:
        return x * torch.zeros_like(x)
    u = torch.rand(x.shape, device=x.device)
    keep = torch.zeros_like(x)
    keep[u > p] = 1.0 / (1.0 - p)
    return x * keep


class Dropout(torch.nn.Module):
    def __init__(self, p=0.5):
        super().__init__()
        _check(p)
        self.p = p

    def forward(self, x):
        if not self.training:
            return x
        return dropout(x, self.p)
