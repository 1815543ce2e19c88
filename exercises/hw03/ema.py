"""hw03 — exponential moving averages.

Both functions take a 1-D sequence (a torch tensor; a list or numpy array may be
converted with torch.as_tensor) and return a tensor of the same length: in the
dtype of a floating input, float32 for an integer input. Empty in, empty out.
A `beta` outside [0, 1) raises ValueError.
"""

import torch


def ema(values, beta=0.9):
    """Exponential moving average, started at the first value.

        S_1 = Y_1
        S_t = beta * S_{t-1} + (1 - beta) * Y_t,   t = 2..T
    Returns all S_t, t = 1..T.
    """
    raise NotImplementedError("ema: return S_1 = Y_1, S_t = beta * S_{t-1} + (1 - beta) * Y_t for all t")


def ema_bias_corrected(values, beta=0.9):
    """Exponential moving average started at 0, with bias correction.

        V_0 = 0
        V_t = beta * V_{t-1} + (1 - beta) * Y_t
    Returns V_t / (1 - beta**t) for t = 1..T.
    """
    raise NotImplementedError("ema_bias_corrected: return V_t / (1 - beta**t) with V_0 = 0, V_t = beta * V_{t-1} + (1 - beta) * Y_t")
