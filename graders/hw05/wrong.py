"""Known-wrong batch normalisation (ASSIGNMENTS.md hw05 misconceptions), computed in the trusted parent.

A student's output that equals one of these names the mistake in the hint.
"""
from __future__ import annotations

import torch


def _stats(x, unbiased):
    return x.mean(0), x.var(0, unbiased=unbiased)


def _normalise(x, mean, var, eps, eps_outside):
    return (x - mean) / (var.sqrt() + eps) if eps_outside else (x - mean) / (var + eps).sqrt()


def simulate(train, evals, eps=1e-5, momentum=0.1, *, unbiased_norm=False, eps_outside=False,
             reversed_momentum=False, running_biased=False, update_in_eval=False, batch_stats_in_eval=False):
    """BatchNorm1d (gamma 1, beta 0) over training then eval batches, with the named mistakes switched on.

    Returns (train outputs, eval outputs), in float64."""
    c = train[0].shape[1] if train else evals[0].shape[1]
    running = [torch.zeros(c, dtype=torch.float64), torch.ones(c, dtype=torch.float64)]

    def update(x):
        mean, var = _stats(x, unbiased=not running_biased)
        keep, new = (momentum, 1 - momentum) if reversed_momentum else (1 - momentum, momentum)
        running[0], running[1] = keep * running[0] + new * mean, keep * running[1] + new * var

    def train_step(x):
        mean, var = _stats(x, unbiased=unbiased_norm)
        update(x)
        return _normalise(x, mean, var, eps, eps_outside)

    out_train = [train_step(x.double()) for x in train]
    out_eval = []
    for x in (x.double() for x in evals):
        if batch_stats_in_eval:
            out_eval.append(train_step(x))
            continue
        if update_in_eval:
            update(x)
        out_eval.append(_normalise(x, running[0], running[1], eps, eps_outside))
    return out_train, out_eval


def backward_paths(dy, x, gamma, eps=1e-5, mean_path=True, var_path=True):
    """dL/dx of a training-mode batch normalisation, with the mean's or the variance's path left out."""
    dy, x, gamma = dy.double(), x.double(), gamma.double()
    m = x.shape[0]
    inv_std = 1 / (x.var(0, unbiased=False) + eps).sqrt()
    x_hat = (x - x.mean(0)) * inv_std
    inner = m * dy
    if mean_path:
        inner = inner - dy.sum(0)
    if var_path:
        inner = inner - x_hat * (dy * x_hat).sum(0)
    return (gamma * inv_std / m * inner).float()
