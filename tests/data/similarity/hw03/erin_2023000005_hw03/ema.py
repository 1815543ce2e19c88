import torch
from functools import reduce


def ema(values, beta=0.9):
    assert_beta(beta)
    v = torch.as_tensor(values).float() if not torch.as_tensor(values).is_floating_point() else torch.as_tensor(values)
    if v.numel() == 0:
        return v
    acc = reduce(lambda hist, y: hist + [beta * hist[-1] + (1 - beta) * y], v[1:], [v[0]])
    return torch.stack(acc)


def ema_bias_corrected(values, beta=0.9):
    assert_beta(beta)
    v = torch.as_tensor(values).float() if not torch.as_tensor(values).is_floating_point() else torch.as_tensor(values)
    w = beta ** torch.arange(len(v) - 1, -1, -1, dtype=v.dtype)
    raw = torch.stack([(1 - beta) * (w[len(v) - t - 1:] * v[: t + 1]).sum() for t in range(len(v))]) if len(v) else v
    return raw / (1 - beta ** torch.arange(1, len(v) + 1, dtype=v.dtype))


def assert_beta(beta):
    if not 0 <= beta < 1: raise ValueError("beta")
