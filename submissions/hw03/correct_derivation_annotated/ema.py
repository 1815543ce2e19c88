"""hw03 reference — exponential moving averages, plain and bias-corrected."""

import torch

__all__ = ["ema", "ema_bias_corrected"]


def _prepare(values, beta):
    """Validate beta and return (1-D float tensor, dtype to return)."""
    if not 0 <= beta < 1:  # also rejects NaN
        raise ValueError(f"beta must be in [0, 1), got {beta}")
    y = torch.as_tensor(values)
    if y.dim() != 1:
        raise ValueError(f"values must be 1-D, got shape {tuple(y.shape)}")
    out_dtype = y.dtype if y.is_floating_point() else torch.float32
    # Accumulate half types in float32; cast back at the end.
    work = torch.float32 if out_dtype in (torch.float16, torch.bfloat16) else out_dtype
    return y.to(work), out_dtype


def ema(values, beta=0.9):
    """S_1 = Y_1; S_t = beta * S_{t-1} + (1 - beta) * Y_t; returns all S_t (same length).

    The first value starts the average: there is no S_0 = 0 and so no bias toward 0.
    """
    y, out_dtype = _prepare(values, beta)
    if y.numel() == 0:
        return y.to(out_dtype)
    s = [y[0]]
    for y_t in y[1:]:
        s.append(beta * s[-1] + (1 - beta) * y_t)
    return torch.stack(s).to(out_dtype)


def ema_bias_corrected(values, beta=0.9):
    """V_0 = 0; V_t = beta * V_{t-1} + (1 - beta) * Y_t; returns V_t / (1 - beta**t), t = 1..T.

    Starting from V_0 = 0 biases the early V_t toward 0; dividing by (1 - beta**t),
    the sum of the weights given so far, removes that bias.
    """
    y, out_dtype = _prepare(values, beta)
    v = torch.zeros((), dtype=y.dtype, device=y.device)
    out = []
    for t, y_t in enumerate(y, start=1):
        v = beta * v + (1 - beta) * y_t
        out.append(v / (1 - beta**t))
    if not out:
        return y.to(out_dtype)
    return torch.stack(out).to(out_dtype)
