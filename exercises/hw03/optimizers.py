"""hw03 — optimizers as subclasses of torch.optim.Optimizer.

For every parameter p with gradient g = p.grad:
  * parameters whose .grad is None are skipped (their state stays untouched);
  * updates happen in place under torch.no_grad();
  * hyper-parameters are read from each param group (param groups work);
  * state lives in self.state[p] and is per parameter (its own step count t,
    its own "first step");
  * step(closure=None) returns the closure's loss (None without a closure);
  * invalid hyper-parameters (e.g. a negative lr) raise ValueError.

Rule: do not wrap or call the matching torch.optim class (torch.optim.SGD,
torch.optim.Adagrad, torch.optim.RMSprop, torch.optim.Adam, ...).
"""

import torch
from torch.optim import Optimizer


class Momentum(Optimizer):
    """Momentum (the course's form, an EMA of the gradients).

        first step:  s = g
        afterwards:  s = beta * s + (1 - beta) * g
        p -= lr * s
    """

    def __init__(self, params, lr=0.01, beta=0.9):
        super().__init__(params, dict(lr=lr, beta=beta))

    def step(self, closure=None):
        raise NotImplementedError("Momentum.step: s = g at the first step, then s = beta*s + (1-beta)*g; p -= lr*s")


class AdaGrad(Optimizer):
    """AdaGrad.

        s starts at 0
        s += g * g
        p -= lr * g / (sqrt(s) + eps)
    """

    def __init__(self, params, lr=0.01, eps=1e-6):
        super().__init__(params, dict(lr=lr, eps=eps))

    def step(self, closure=None):
        raise NotImplementedError("AdaGrad.step: s += g*g; p -= lr * g / (sqrt(s) + eps)")


class RMSProp(Optimizer):
    """RMSProp.

        s starts at 0
        s = beta * s + (1 - beta) * g * g
        p -= lr * g / (sqrt(s) + eps)
    """

    def __init__(self, params, lr=0.01, beta=0.9, eps=1e-6):
        super().__init__(params, dict(lr=lr, beta=beta, eps=eps))

    def step(self, closure=None):
        raise NotImplementedError("RMSProp.step: s = beta*s + (1-beta)*g*g; p -= lr * g / (sqrt(s) + eps)")


class Adam(Optimizer):
    """Adam.

        t += 1
        m = b1 * m + (1 - b1) * g
        v = b2 * v + (1 - b2) * g * g
        m_hat = m / (1 - b1**t)
        v_hat = v / (1 - b2**t)
        p -= lr * m_hat / (sqrt(v_hat) + eps)
    with (b1, b2) = betas; m and v start at 0, t at 0.
    """

    def __init__(self, params, lr=0.001, betas=(0.9, 0.999), eps=1e-8):
        super().__init__(params, dict(lr=lr, betas=betas, eps=eps))

    def step(self, closure=None):
        raise NotImplementedError("Adam.step: t += 1; update m, v; p -= lr * m_hat / (sqrt(v_hat) + eps) with bias correction")
