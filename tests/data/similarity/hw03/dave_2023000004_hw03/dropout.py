import torch


def dropout(x, p=0.5, training=True):
    if p < 0.0 or p > 1.0:
        raise ValueError("p not a probability")
    if not training:
        return x
    if p == 0.0:
        return x.clone()
    if p == 1.0:
        return x * torch.zeros_like(x)
    r = torch.rand(x.shape, device=x.device)
    m = torch.zeros_like(x)
    m[r > p] = 1.0 / (1.0 - p)
    return x * m


class Dropout(torch.nn.Module):
    def __init__(self, p=0.5):
        super().__init__()
        if p < 0.0 or p > 1.0:
            raise ValueError("p not a probability")
        self.p = p

    def forward(self, x):
        if not self.training:
            return x
        return dropout(x, self.p)
