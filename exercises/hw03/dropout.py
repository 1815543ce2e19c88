"""hw03 — (inverted) dropout, as a function and as an nn.Module."""

import torch


def dropout(x, p=0.5, training=True):
    """Dropout with probability p.

    Training: each element of x is zeroed independently with probability p; the
    kept elements are multiplied by 1 / (1 - p), so the expectation is unchanged.
    Evaluation (training=False): x is returned unchanged.
    p == 0: x unchanged; p == 1: all zeros, no NaN; p outside [0, 1]: ValueError.
    Use torch's random generator (torch.rand, torch.bernoulli, ...) so that
    torch.manual_seed reproduces the mask. Do not modify x in place. Gradients
    must flow as mask / (1 - p).
    """
    raise NotImplementedError("dropout: zero each element with probability p, scale the rest by 1/(1-p); identity when not training")


class Dropout(torch.nn.Module):
    """Module form of dropout(): forward(x) uses self.training (model.train() / model.eval())."""

    def __init__(self, p=0.5):
        super().__init__()
        self.p = p

    def forward(self, x):
        raise NotImplementedError("Dropout.forward: return dropout(x, self.p, self.training)")
