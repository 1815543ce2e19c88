import torch
from torch.optim import Optimizer


class _Base(Optimizer):
    def __init__(self, params, defaults):
        if defaults["lr"] < 0:
            raise ValueError("lr must be non-negative")
        if defaults.get("eps", 0) < 0:
            raise ValueError("eps must be non-negative")
        for key in ("beta",):
            if key in defaults and not 0 <= defaults[key] < 1:
                raise ValueError(f"{key} must be in [0, 1)")
        for b in defaults.get("betas", ()):
            if not 0 <= b < 1:
                raise ValueError("betas must be in [0, 1)")
        super().__init__(params, defaults)

    @torch.no_grad()
    def step(self, closure=None):
        loss = None
        if closure is not None:
            with torch.enable_grad():
                loss = closure()
        for group in self.param_groups:
            self._update_group(group)
        return loss


class Momentum(_Base):
    def __init__(self, params, lr=0.01, beta=0.9):
        super().__init__(params, {"lr": lr, "beta": beta})

    def _update_group(self, group):
        for p in group["params"]:
            if p.grad is None:
                continue
            st = self.state[p]
            if "velocity" in st:
                st["velocity"].lerp_(p.grad, 1 - group["beta"])  # beta*s + (1-beta)*g
            else:
                st["velocity"] = p.grad.detach().clone()
            p.sub_(group["lr"] * st["velocity"])


class AdaGrad(_Base):
    def __init__(self, params, lr=0.01, eps=1e-6):
        super().__init__(params, {"lr": lr, "eps": eps})

    def _update_group(self, group):
        for p in group["params"]:
            if p.grad is None:
                continue
            st = self.state[p]
            st.setdefault("sum_sq", torch.zeros_like(p))
            st["sum_sq"].add_(p.grad.square())
            p.sub_(group["lr"] * p.grad / (st["sum_sq"].sqrt() + group["eps"]))


class RMSProp(_Base):
    def __init__(self, params, lr=0.01, beta=0.9, eps=1e-6):
        super().__init__(params, {"lr": lr, "beta": beta, "eps": eps})

    def _update_group(self, group):
        beta = group["beta"]
        for p in group["params"]:
            if p.grad is None:
                continue
            st = self.state[p]
            st.setdefault("sq_avg", torch.zeros_like(p))
            st["sq_avg"].copy_(beta * st["sq_avg"] + (1 - beta) * p.grad ** 2)
            p.sub_(group["lr"] * p.grad / (st["sq_avg"].sqrt() + group["eps"]))


class Adam(_Base):
    """Loop-free over the parameters of a group: uses torch's multi-tensor ops."""

    def __init__(self, params, lr=0.001, betas=(0.9, 0.999), eps=1e-8):
        super().__init__(params, {"lr": lr, "betas": betas, "eps": eps})

    def _update_group(self, group):
        b1, b2 = group["betas"]
        params = [p for p in group["params"] if p.grad is not None]
        if not params:
            return
        for p in params:
            if not self.state[p]:
                self.state[p].update(t=0, m=torch.zeros_like(p), v=torch.zeros_like(p))
            self.state[p]["t"] += 1
        grads = [p.grad for p in params]
        ms = [self.state[p]["m"] for p in params]
        vs = [self.state[p]["v"] for p in params]
        ts = [self.state[p]["t"] for p in params]
        torch._foreach_lerp_(ms, grads, 1 - b1)
        torch._foreach_mul_(vs, b2)
        torch._foreach_addcmul_(vs, grads, grads, value=1 - b2)
        m_hat = torch._foreach_div(ms, [1 - b1 ** t for t in ts])
        v_hat = torch._foreach_div(vs, [1 - b2 ** t for t in ts])
        denom = torch._foreach_sqrt(v_hat)
        torch._foreach_add_(denom, group["eps"])
        torch._foreach_addcdiv_(params, m_hat, denom, value=-group["lr"])
