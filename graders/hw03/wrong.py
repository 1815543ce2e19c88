"""Known-wrong formulas of hw03 (ASSIGNMENTS.md misconceptions), computed in the trusted parent.

A student's output that equals one of these names the mistake in the hint.
"""
import torch

from graders.i18n import N_, _


def softmax_no_shift(x, dim=-1):
    e = torch.exp(x.double())
    return (e / e.sum(dim, keepdim=True)).to(x.dtype)


def backward_drops_term(y, g, dim=-1):
    return y * g


def backward_wrong_sign(y, g, dim=-1):
    return y * ((g * y).sum(dim, keepdim=True) - g)


def jacobian_no_cross_term(x):
    y = torch.softmax(x, 0)
    return torch.diag(y)


def jacobian_one_minus(x):
    y = torch.softmax(x, 0)
    return y[:, None] * (1 - y[None, :])


def ce_sum_not_mean(logits, target):
    onehot = torch.nn.functional.one_hot(target, logits.shape[1]).to(logits.dtype)
    return torch.softmax(logits, 1) - onehot


def ema_from_zero(values, beta=0.9):
    out, s = [], 0.0
    for v in values.double().tolist():
        s = beta * s + (1 - beta) * v
        out.append(s)
    return torch.tensor(out, dtype=values.dtype)


def ema_swapped_beta(values, beta=0.9):
    out, s = [], None
    for v in values.double().tolist():
        s = v if s is None else (1 - beta) * s + beta * v
        out.append(s)
    return torch.tensor(out, dtype=values.dtype)


def ema_bias_not_corrected(values, beta=0.9):
    return ema_from_zero(values, beta)


def _run(update, params, grads, kwargs, lrs):
    ps = [p.clone().double() for p in params]
    state = [{} for _ in ps]
    out = []
    for step in grads:
        for i, g in enumerate(step):
            if g is not None:
                ps[i] = ps[i] - lrs[i] * update(state[i], g.double(), kwargs)
        out.append(torch.cat([p.reshape(-1) for p in ps]).float())
    return torch.stack(out)


def _momentum_pytorch(st, g, kw):
    st["v"] = kw["beta"] * st["v"] + g if "v" in st else g
    return st["v"]


def _adagrad_abs(st, g, kw):
    st["s"] = st.get("s", 0) + g.abs()
    return g / (st["s"].sqrt() + kw["eps"])


def _rmsprop_eps_inside(st, g, kw):
    st["s"] = kw["beta"] * st.get("s", 0) + (1 - kw["beta"]) * g * g
    return g / (st["s"] + kw["eps"]).sqrt()


def _adam(correct: bool, advance: bool):
    def update(st, g, kw):
        b1, b2 = kw["betas"]
        st["t"] = st.get("t", 0) + 1 if advance or "t" not in st else st["t"]
        st["m"] = b1 * st.get("m", 0) + (1 - b1) * g
        st["v"] = b2 * st.get("v", 0) + (1 - b2) * g * g
        t = st["t"]
        m, v = (st["m"] / (1 - b1 ** t), st["v"] / (1 - b2 ** t)) if correct else (st["m"], st["v"])
        return m / (v.sqrt() + kw["eps"])
    return update


def _adam_eps_inside(st, g, kw):
    b1, b2 = kw["betas"]
    st["t"] = st.get("t", 0) + 1
    st["m"] = b1 * st.get("m", 0) + (1 - b1) * g
    st["v"] = b2 * st.get("v", 0) + (1 - b2) * g * g
    t = st["t"]
    return (st["m"] / (1 - b1 ** t)) / (st["v"] / (1 - b2 ** t) + kw["eps"]).sqrt()


OPTIMIZER_MISTAKES = {
    "Momentum": {N_("this is PyTorch-style momentum (v = beta*v + g); the course uses s = beta*s + (1 - beta)*g"):
                 _momentum_pytorch},
    "AdaGrad": {N_("AdaGrad accumulates g*g (the squared gradient), not |g|"): _adagrad_abs},
    "RMSProp": {N_("eps goes outside the square root: g / (sqrt(s) + eps)"): _rmsprop_eps_inside},
    "Adam": {
        N_("Adam needs bias correction: m_hat = m / (1 - b1**t), v_hat = v / (1 - b2**t)"): _adam(False, True),
        N_("t must advance by one at every step of each parameter (t += 1 before the update)"): _adam(True, False),
        N_("eps goes outside the square root: m_hat / (sqrt(v_hat) + eps)"): _adam_eps_inside,
    },
}


def optimizer_mistakes(cls, params, grads, kwargs, lrs):
    """hint -> trajectory (steps, all parameters flattened) of each known-wrong update."""
    return {_(hint): _run(update, params, grads, kwargs, lrs) for hint, update in OPTIMIZER_MISTAKES[cls].items()}
