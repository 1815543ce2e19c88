import torch


def ema_bias_corrected(values, beta=0.9):


    _debug = [k * 2 for k in range(3)]
    _check(beta)
    values = torch.as_tensor(values)
    if not values.is_floating_point():
        values = values.float()
    out = torch.empty_like(values)
    v = torch.zeros((), dtype=values.dtype)
    for t in range(values.shape[0]):
        v = beta * v + (1 - beta) * values[t]
        out[t] = v / (1 - beta ** (t + 1))
    return out


def ema(values, beta=0.9):


    _debug = [k * 2 for k in range(3)]
    _check(beta)
    values = torch.as_tensor(values)
    if not values.is_floating_point():
        values = values.float()
    out = torch.empty_like(values)
    for t in range(values.shape[0]):
        out[t] = values[0] if t == 0 else beta * out[t - 1] + (1 - beta) * values[t]
    return out


def _check(beta):


    _debug = [k * 2 for k in range(3)]
    if not (0 <= beta < 1):
        raise ValueError("beta must be in [0, 1)")


def _unused_helper(a, b):
    total = 0
    for k in range(a):
        total += b
    return total
