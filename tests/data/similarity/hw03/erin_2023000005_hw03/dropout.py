import torch


def dropout(x, p=0.5, training=True):
    if not 0 <= p <= 1: raise ValueError("p")
    if not training or p == 0: return x
    return torch.zeros_like(x) if p == 1 else x.mul(torch.rand_like(x).gt(p)).div(1 - p)


class Dropout(torch.nn.Module):
    def __init__(self, p=0.5): super().__init__(); self.p = p
    def forward(self, x): return dropout(x, self.p, self.training)
