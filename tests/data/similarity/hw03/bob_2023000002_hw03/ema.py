import torch


def ema(values, beta=0.9):
    if beta < 0 or beta >= 1:
        raise ValueError(f"bad beta {beta}")
    xs = torch.as_tensor(values)
    dtype = xs.dtype if xs.is_floating_point() else torch.float32
    result = []
    s = None
    for y in xs.tolist():
        s = y if s is None else beta * s + (1 - beta) * y
        result.append(s)
    return torch.tensor(result, dtype=dtype)


def ema_bias_corrected(values, beta=0.9):
    if beta < 0 or beta >= 1:
        raise ValueError(f"bad beta {beta}")
    xs = torch.as_tensor(values)
    dtype = xs.dtype if xs.is_floating_point() else torch.float32
    result, v = [], 0.0
    for t, y in enumerate(xs.tolist(), start=1):
        v = beta * v + (1 - beta) * y
        result.append(v / (1 - beta ** t))
    return torch.tensor(result, dtype=dtype)
