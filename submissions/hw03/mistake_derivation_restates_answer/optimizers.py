"""hw03 reference — Momentum, AdaGrad, RMSProp and Adam as torch.optim.Optimizer subclasses.

Each optimizer keeps its per-parameter state in self.state[p], reads its
hyper-parameters from the parameter group (so param groups with different lr
work), skips parameters whose .grad is None and updates in place under
torch.no_grad(). None of them uses the matching torch.optim class.
"""

import torch
from torch.optim import Optimizer

__all__ = ["Momentum", "AdaGrad", "RMSProp", "Adam"]


def _check_lr(lr):
    if not lr >= 0:
        raise ValueError(f"Invalid learning rate: {lr} (must be >= 0)")


def _check_eps(eps):
    if not eps >= 0:
        raise ValueError(f"Invalid eps: {eps} (must be >= 0)")


def _check_beta(beta, name="beta"):
    if not 0 <= beta < 1:
        raise ValueError(f"Invalid {name}: {beta} (must be in [0, 1))")


def _evaluate(closure):
    """Re-evaluate the model with gradients on, as torch's optimizers do."""
    if closure is None:
        return None
    with torch.enable_grad():
        return closure()


def _params_with_grad(group):
    """The parameters of a group that have a gradient at this step."""
    return [p for p in group["params"] if p.grad is not None]


class Momentum(Optimizer):
    """First step: s = g; afterwards s = beta * s + (1 - beta) * g;  p -= lr * s.

    The course's momentum is an EMA of the gradients (note the (1 - beta)),
    unlike torch.optim.SGD(momentum=...) which uses s = beta * s + g.
    """

    def __init__(self, params, lr=0.01, beta=0.9):
        _check_lr(lr)
        _check_beta(beta)
        super().__init__(params, dict(lr=lr, beta=beta))

    @torch.no_grad()
    def step(self, closure=None):
        loss = _evaluate(closure)
        for group in self.param_groups:
            lr, beta = group["lr"], group["beta"]
            for p in _params_with_grad(group):
                g = p.grad
                state = self.state[p]
                if "s" not in state:  # this parameter's own first step
                    state["s"] = g.clone()
                else:
                    state["s"].mul_(beta).add_(g, alpha=1 - beta)
                p.add_(state["s"], alpha=-lr)
        return loss


class AdaGrad(Optimizer):
    """s starts at 0; s += g * g;  p -= lr * g / (sqrt(s) + eps)."""

    def __init__(self, params, lr=0.01, eps=1e-6):
        _check_lr(lr)
        _check_eps(eps)
        super().__init__(params, dict(lr=lr, eps=eps))

    @torch.no_grad()
    def step(self, closure=None):
        loss = _evaluate(closure)
        for group in self.param_groups:
            lr, eps = group["lr"], group["eps"]
            for p in _params_with_grad(group):
                g = p.grad
                state = self.state[p]
                if "s" not in state:
                    state["s"] = torch.zeros_like(p)
                s = state["s"]
                s.addcmul_(g, g)  # s += g * g (squares, not |g|)
                p.addcdiv_(g, s.sqrt().add_(eps), value=-lr)  # eps outside the sqrt
        return loss


class RMSProp(Optimizer):
    """s starts at 0; s = beta * s + (1 - beta) * g * g;  p -= lr * g / (sqrt(s) + eps)."""

    def __init__(self, params, lr=0.01, beta=0.9, eps=1e-6):
        _check_lr(lr)
        _check_beta(beta)
        _check_eps(eps)
        super().__init__(params, dict(lr=lr, beta=beta, eps=eps))

    @torch.no_grad()
    def step(self, closure=None):
        loss = _evaluate(closure)
        for group in self.param_groups:
            lr, beta, eps = group["lr"], group["beta"], group["eps"]
            for p in _params_with_grad(group):
                g = p.grad
                state = self.state[p]
                if "s" not in state:
                    state["s"] = torch.zeros_like(p)
                s = state["s"]
                s.mul_(beta).addcmul_(g, g, value=1 - beta)
                p.addcdiv_(g, s.sqrt().add_(eps), value=-lr)  # eps outside the sqrt
        return loss


class Adam(Optimizer):
    """t += 1; m = b1*m + (1-b1)*g; v = b2*v + (1-b2)*g*g;
    m_hat = m / (1 - b1**t); v_hat = v / (1 - b2**t); p -= lr * m_hat / (sqrt(v_hat) + eps).

    t is counted per parameter: a parameter whose gradient was None at some step
    has taken fewer steps than the others, and its bias correction says so.
    """

    def __init__(self, params, lr=0.001, betas=(0.9, 0.999), eps=1e-8):
        _check_lr(lr)
        _check_eps(eps)
        if len(betas) != 2:
            raise ValueError(f"betas must be a pair (b1, b2), got {betas}")
        _check_beta(betas[0], "beta1")
        _check_beta(betas[1], "beta2")
        super().__init__(params, dict(lr=lr, betas=tuple(betas), eps=eps))

    @torch.no_grad()
    def step(self, closure=None):
        loss = _evaluate(closure)
        for group in self.param_groups:
            lr, (b1, b2), eps = group["lr"], group["betas"], group["eps"]
            for p in _params_with_grad(group):
                g = p.grad
                state = self.state[p]
                if not state:
                    state["step"] = 0
                    state["m"] = torch.zeros_like(p)
                    state["v"] = torch.zeros_like(p)
                state["step"] += 1
                t, m, v = state["step"], state["m"], state["v"]
                m.mul_(b1).add_(g, alpha=1 - b1)
                v.mul_(b2).addcmul_(g, g, value=1 - b2)
                m_hat = m / (1 - b1**t)
                v_hat = v / (1 - b2**t)
                p.addcdiv_(m_hat, v_hat.sqrt().add_(eps), value=-lr)
        return loss
