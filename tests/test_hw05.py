"""hw05's own material is right: goldens and known-wrong simulations agree with torch, and `grade check hw05` passes."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import torch

from graders.core.golden import GoldenStore
from graders.hw05 import wrong

ROOT = Path(__file__).resolve().parents[1]


def _autograd(dy, x, gamma, eps):
    module = torch.nn.BatchNorm1d(x.shape[1], eps=eps)
    with torch.no_grad():
        module.weight.copy_(gamma)
    leaf = x.clone().requires_grad_(True)
    (module(leaf) * dy).sum().backward()
    return leaf.grad, module.weight.grad, module.bias.grad


def test_backward_goldens_equal_autograd_through_torch_batchnorm():
    store = GoldenStore(ROOT / "reference" / "hw05" / "golden")
    for name in ("batchnorm_backward", "batchnorm_backward_gamma"):
        case = store[name]
        expected = _autograd(*case.args, eps=case.kwargs.get("eps", 1e-5))
        for got, want in zip(case.output, expected):
            assert torch.allclose(got, want, atol=1e-5, rtol=1e-4), name


def test_simulation_without_mistakes_is_torch_and_each_mistake_differs():
    g = torch.Generator().manual_seed(0)
    train = [torch.randn(16, 5, generator=g) * 3 + 1 for _ in range(3)]
    evals = [torch.randn(16, 5, generator=g) for _ in range(2)]
    module = torch.nn.BatchNorm1d(5)
    with torch.no_grad():
        expected = [module(x) for x in train] + [module.eval()(x) for x in evals]
    got_train, got_eval = wrong.simulate(train, evals)
    assert all(torch.allclose(a.float(), b, atol=1e-5) for a, b in zip(got_train + got_eval, expected))
    for flag in ("unbiased_norm", "reversed_momentum", "running_biased", "update_in_eval", "batch_stats_in_eval"):
        t, e = wrong.simulate(train, evals, **{flag: True})
        assert not all(torch.allclose(a.float(), b, atol=1e-4) for a, b in zip(t + e, expected)), flag


def test_backward_paths_with_every_path_is_the_true_gradient():
    g = torch.Generator().manual_seed(1)
    dy, x, gamma = torch.randn(8, 3, generator=g), torch.randn(8, 3, generator=g), torch.randn(3, generator=g)
    assert torch.allclose(wrong.backward_paths(dy, x, gamma), _autograd(dy, x, gamma, 1e-5)[0], atol=1e-5)


def test_grade_check_hw05_passes_every_check():
    proc = subprocess.run([sys.executable, "-c", "from graders.cli import run; run()", "check", "hw05"],
                          capture_output=True, text=True, timeout=900)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    lines = proc.stdout.splitlines()
    for sample in ("reference", "stubs", "correct", "notebook", "mistake_unbiased_variance", "mistake_eps_outside_sqrt",
                   "mistake_running_stats_updated_in_eval", "mistake_momentum_reversed", "mistake_backward_no_mean_path",
                   "mistake_derivation_no_mean_path"):
        assert any(sample in line and line.startswith("ok") for line in lines), sample
