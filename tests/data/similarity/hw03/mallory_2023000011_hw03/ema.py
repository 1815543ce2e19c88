import torch

# my own version of _validate

def _validate(beta):
    if not 0 <= beta < 1:
        raise ValueError('beta must be in [0, 1)')

# my own version of ema

def ema(values, beta=0.9):
    _validate(beta)
    values = torch.as_tensor(values)
    if not values.is_floating_point():
        values = values.float()
    res = torch.empty_like(values)
    for t in range(values.shape[0]):
        res[t] = values[0] if t == 0 else beta * res[t - 1] + (1 - beta) * values[t]
    return res

# my own version of ema_bias_corrected

def ema_bias_corrected(values, beta=0.9):
    _validate(beta)
    values = torch.as_tensor(values)
    if not values.is_floating_point():
        values = values.float()
    res = torch.empty_like(values)
    acc = torch.zeros((), dtype=values.dtype)
    for t in range(values.shape[0]):
        acc = beta * acc + (1 - beta) * values[t]
        res[t] = acc / (1 - beta ** (t + 1))
    return res