import torch


def ema(values, beta=0.9):
    if beta >= 1 or beta < 0:
        raise ValueError("beta")
    n = len(values)
    smoothed = torch.zeros(n, dtype=values.dtype if values.is_floating_point() else torch.float32)
    if n == 0:
        return smoothed
    smoothed[0] = values[0]
    i = 1
    while i < n:
        smoothed[i] = beta * smoothed[i - 1] + (1 - beta) * values[i]
        i += 1
    return smoothed


def ema_bias_corrected(values, beta=0.9):
    if beta >= 1 or beta < 0:
        raise ValueError("beta")
    n = len(values)
    res = torch.zeros(n, dtype=values.dtype if values.is_floating_point() else torch.float32)
    acc = 0.0
    i = 0
    while i < n:
        acc = beta * acc + (1 - beta) * float(values[i])
        res[i] = acc / (1 - math_pow(beta, i + 1))
        i += 1
    return res


def math_pow(b, e):
    r = 1.0
    for _ in range(e):
        r *= b
    return r
