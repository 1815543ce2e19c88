import builtins

import torch


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


# --- adversarial: Dropout is a plain class (not a torch.nn.Module) and the
# worker's isinstance is patched so that a check run in the worker says it is one.
_isinstance = builtins.isinstance


def _forged_isinstance(obj, cls):
    if cls is torch.nn.Module and type(obj).__name__ == "Dropout":
        return True
    return _isinstance(obj, cls)


builtins.isinstance = _forged_isinstance


class Dropout:
    def __init__(self, p=0.5):
        if not 0 <= p <= 1:
            raise ValueError(f"p must be in [0, 1], got {p}")
        self.p = p
        self.training = True

    def train(self, mode=True):
        self.training = mode
        return self

    def eval(self):
        return self.train(False)

    def __call__(self, x):
        return dropout(x, p=self.p, training=self.training)
# --- end adversarial ---
