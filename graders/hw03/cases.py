"""hw03 golden cases: fixed inputs whose reference outputs `grade reference hw03` records.

Inputs are drawn from a seeded generator in the trusted parent, so the recorded
files are reproducible; the hidden suites read them through the `golden` fixture.
"""
import torch

from graders.core.golden import Case

# Gradients near 1e-3 make "eps inside the sqrt" visible for RMSProp and Adam.
GRAD_SCALE = {"momentum": 1.0, "adagrad": 1.0, "rmsprop": 1e-3, "adam": 1e-3}
OPTIMIZERS = {
    "momentum": ("Momentum", {"lr": 0.1, "beta": 0.9}),
    "adagrad": ("AdaGrad", {"lr": 0.1, "eps": 1e-6}),
    "rmsprop": ("RMSProp", {"lr": 0.01, "beta": 0.9, "eps": 1e-6}),
    "adam": ("Adam", {"lr": 0.01, "betas": (0.9, 0.999), "eps": 1e-8}),
}
STEPS = 25


def _gen(seed):
    return torch.Generator().manual_seed(seed)


def softmax_cases():
    g = _gen(3)
    y = torch.softmax(torch.randn(4, 6, generator=g) * 2, dim=-1)
    y0 = torch.softmax(torch.randn(5, 3, generator=g), dim=0)
    return [
        Case("softmax_batch", "softmax", "call", "softmax.softmax", [torch.randn(4, 7, generator=g) * 3], {"dim": -1}),
        Case("softmax_dim0", "softmax", "call", "softmax.softmax", [torch.randn(5, 3, generator=g)], {"dim": 0}),
        Case("softmax_3d", "softmax", "call", "softmax.softmax", [torch.randn(2, 3, 4, generator=g)], {"dim": 1}),
        Case("softmax_large", "softmax", "call", "softmax.softmax",
             [torch.tensor([[1000.0, 0.0, -5.0], [-1000.0, 1000.0, 999.0], [1e4, 1e4 - 1, -1e4]])], {}),
        Case("softmax_neg_inf", "softmax", "call", "softmax.softmax",
             [torch.tensor([[0.0, float("-inf"), 1.0], [float("-inf"), 2.0, 2.0]])], {}),
        Case("softmax_backward_batch", "softmax", "call", "softmax.softmax_backward",
             [y, torch.randn(4, 6, generator=g)], {}),
        Case("softmax_backward_dim0", "softmax", "call", "softmax.softmax_backward",
             [y0, torch.randn(5, 3, generator=g)], {"dim": 0}),
        Case("softmax_jacobian", "softmax", "call", "softmax.softmax_jacobian", [torch.randn(5, generator=g)], {}),
        Case("cross_entropy_grad", "softmax", "call", "softmax.cross_entropy_grad",
             [torch.randn(6, 4, generator=g) * 2, torch.randint(0, 4, (6,), generator=g)], {}),
    ]


def ema_cases():
    g = _gen(5)
    return [
        Case("ema_default", "ema", "call", "ema.ema", [torch.randn(20, generator=g) + 5], {}),
        Case("ema_beta_half", "ema", "call", "ema.ema", [torch.randn(12, generator=g)], {"beta": 0.5}),
        Case("ema_bias_corrected", "ema", "call", "ema.ema_bias_corrected", [torch.randn(15, generator=g) + 3], {}),
        Case("ema_bias_corrected_beta", "ema", "call", "ema.ema_bias_corrected",
             [torch.randn(10, generator=g)], {"beta": 0.98}),
    ]


def _optimizer_inputs(seed, none_every=0, scale=1.0):
    g = _gen(seed)
    params = [torch.randn(3, generator=g), torch.randn(2, 2, generator=g)]
    grads = []
    for t in range(STEPS):
        step = [torch.randn(3, generator=g) * scale, torch.randn(2, 2, generator=g) * 0.5 * scale]
        if none_every and t % none_every == 1:
            step[1] = None
        grads.append(step)
    return params, grads


def optimizer_cases():
    cases = []
    for key, (cls, kwargs) in OPTIMIZERS.items():
        params, grads = _optimizer_inputs(11, scale=GRAD_SCALE[key])
        cases.append(Case(f"{key}_trajectory", "optimizers", "harness", "run_optimizer",
                          [cls, params, grads, kwargs], {}))
        params, grads = _optimizer_inputs(12, none_every=3)
        cases.append(Case(f"{key}_none_grads", "optimizers", "harness", "run_optimizer",
                          [cls, params, grads, kwargs], {}))
        params, grads = _optimizer_inputs(13)
        groups = [[[0], {"lr": kwargs["lr"] * 3}], [[1], {}]]
        cases.append(Case(f"{key}_param_groups", "optimizers", "harness", "run_optimizer",
                          [cls, params, grads, kwargs], {"groups": groups}))
    return cases


def cases():
    """Every golden case of hw03 (dropout is random: it is tested statistically, not against a draw)."""
    return softmax_cases() + ema_cases() + optimizer_cases()
