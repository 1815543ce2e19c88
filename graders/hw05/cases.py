"""hw05 golden cases: batchnorm_backward's inputs, whose reference outputs `grade reference hw05` records.

(The module's forward pass is compared with torch.nn.BatchNorm1d itself, run in
the parent; the initialisers are random and tested statistically.)
"""
import torch

from graders.core.golden import Case


def cases():
    """Every golden case of hw05: the backward pass on two batches (one with a non-trivial gamma)."""
    g = torch.Generator().manual_seed(15)
    x = torch.randn(8, 4, generator=g) * 2 + 1
    x2 = torch.randn(32, 3, generator=g) * 0.5 - 2
    return [
        Case("batchnorm_backward", "batchnorm", "call", "batchnorm.batchnorm_backward",
             [torch.randn(8, 4, generator=g), x, torch.ones(4)], {}),
        Case("batchnorm_backward_gamma", "batchnorm", "call", "batchnorm.batchnorm_backward",
             [torch.randn(32, 3, generator=g), x2, torch.tensor([0.5, -1.5, 2.0])], {"eps": 1e-3}),
    ]
