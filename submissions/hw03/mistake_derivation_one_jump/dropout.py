"""hw03 reference — inverted dropout, as a function and as an nn.Module."""

import torch

__all__ = ["dropout", "Dropout"]


def _check_p(p):
    if not 0 <= p <= 1:  # also rejects NaN
        raise ValueError(f"dropout probability must be in [0, 1], got {p}")


def dropout(x, p=0.5, training=True):
    """Zero each element independently with probability p; scale kept ones by 1 / (1 - p).

    The scaling keeps E[dropout(x)] = x, so nothing changes at evaluation time:
    with training=False (or p == 0) x is returned unchanged. p == 1 gives all
    zeros (no 0 * inf = NaN). The mask comes from torch's generator, so
    torch.manual_seed reproduces it; x is never modified in place, and the
    gradient is mask / (1 - p).
    """
    _check_p(p)
    if not training or p == 0:
        return x
    # One independent uniform draw per element (float32 even for half inputs,
    # so that the keep probability is exact); keep where u >= p: P = 1 - p.
    keep = torch.rand(x.shape, device=x.device) >= p
    scale = 0.0 if p == 1 else 1.0 / (1.0 - p)
    return torch.where(keep, x * scale, torch.zeros((), dtype=x.dtype, device=x.device))


class Dropout(torch.nn.Module):
    """Module form of dropout(): active in train() mode, the identity in eval() mode."""

    def __init__(self, p=0.5):
        super().__init__()
        _check_p(p)
        self.p = p

    def forward(self, x):
        return dropout(x, self.p, self.training)

    def extra_repr(self):
        return f"p={self.p}"
