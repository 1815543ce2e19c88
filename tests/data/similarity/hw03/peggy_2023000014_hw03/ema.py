import torch


def _power(b, e):
    r = 1.0
    for _ in range(e):
        r *= b
    return r


def _smooth(values, beta, corrected):
    if beta >= 1 or beta < 0:
        raise ValueError("beta")
    n = len(values)
    out = torch.zeros(n, dtype=values.dtype if values.is_floating_point() else torch.float32)
    if corrected:
        acc = 0.0
        i = 0
        while i < n:
            acc = beta * acc + (1 - beta) * float(values[i])
            out[i] = acc / (1 - _power(beta, i + 1))
            i += 1
        return out
    if n == 0:
        return out
    out[0] = values[0]
    i = 1
    while i < n:
        out[i] = beta * out[i - 1] + (1 - beta) * values[i]
        i += 1
    return out


def ema(values, beta=0.9):
    return _smooth(values, beta, False)


def ema_bias_corrected(values, beta=0.9):
    return _smooth(values, beta, True)
