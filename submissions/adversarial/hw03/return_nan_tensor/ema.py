from itertools import accumulate

import torch


def _as_float_tensor(values, beta):
    if beta < 0 or beta >= 1 or beta != beta:
        raise ValueError("beta must be in [0, 1)")
    y = torch.as_tensor(values)
    return y if y.is_floating_point() else y.to(torch.float32)


def ema(values, beta=0.9):
    y = _as_float_tensor(values, beta)
    s = list(accumulate(y.tolist(), lambda prev, cur: beta * prev + (1 - beta) * cur))
    return torch.tensor(s, dtype=y.dtype, device=y.device)


def ema_bias_corrected(values, beta=0.9):
    y = _as_float_tensor(values, beta)
    v, out = 0.0, []
    for t, y_t in enumerate(y.tolist(), start=1):
        v = beta * v + (1 - beta) * y_t
        out.append(v / (1 - beta ** t))
    return torch.tensor(out, dtype=y.dtype, device=y.device)
