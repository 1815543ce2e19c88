"""Verdicts are made in the parent: harnesses return observations, the hidden tests judge them.

A harness runs inside the worker, next to student code that can patch anything
there, so a boolean it computed could be forged. These tests hand the hidden
tests forged or wrong observations directly (a fake `student`) and check the
parent rejects them, and run every harness function on the correct samples to
check none of them returns a bool.
"""
from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType, SimpleNamespace
from typing import Any

import numpy as np
import pytest
import torch

from graders.core.compare import Mismatch
from graders.hw03 import test_dropout, test_optimizers, test_softmax
from graders.hw04 import judge

ROOT = Path(__file__).resolve().parents[1]
MODULE_MRO = ["dropout.Dropout", "torch.nn.modules.module.Module", "builtins.object"]
OPTIMIZER_MRO = ["optimizers.Momentum", "torch.optim.optimizer.Optimizer", "builtins.object"]


def _load(path: Path, name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _harness(hw: str) -> ModuleType:
    return _load(ROOT / "exercises" / hw / "tests" / "harness.py", f"_verdicts_harness_{hw}")


def _student(**harness_funcs: Any) -> SimpleNamespace:
    """A fake `student` whose harness returns the given observations (the worker's word, forged or not)."""
    calls = {name: (lambda f: lambda *a, label=None, **k: f(*a, **k))(f) for name, f in harness_funcs.items()}
    return SimpleNamespace(harness=SimpleNamespace(**calls))


def _dropout(x: torch.Tensor, p: float, seed: int) -> torch.Tensor:
    torch.manual_seed(seed)
    return torch.where(torch.rand(x.shape) >= p, x / (1 - p), torch.zeros(()))


def _no_bools(value: Any) -> bool:
    if isinstance(value, (bool, np.bool_)):
        return False
    if isinstance(value, dict):
        return all(_no_bools(v) for v in value.values())
    if isinstance(value, (list, tuple)):
        return all(_no_bools(v) for v in value)
    return True


# --- family 9: a degenerate Jacobian ------------------------------------------------------------

def test_all_zero_jacobian_fails_the_property_test():
    student = SimpleNamespace(softmax=SimpleNamespace(softmax_jacobian=lambda x: torch.zeros(len(x), len(x))))
    with pytest.raises(Mismatch, match=r"the diagonal of softmax_jacobian\(x\)"):
        test_softmax.test_jacobian_is_symmetric_with_zero_row_sums(student)


def test_true_jacobian_passes_the_property_test():
    def jacobian(x):
        y = torch.softmax(x, 0)
        return torch.diag(y) - torch.outer(y, y)

    test_softmax.test_jacobian_is_symmetric_with_zero_row_sums(SimpleNamespace(softmax=SimpleNamespace(
        softmax_jacobian=jacobian)))


def test_jacobian_of_the_wrong_shape_is_named():
    student = SimpleNamespace(softmax=SimpleNamespace(softmax_jacobian=lambda x: torch.zeros(4)))
    with pytest.raises(Mismatch, match=r"should be a \(4, 4\) tensor; got \(4,\)"):
        test_softmax.test_jacobian_is_symmetric_with_zero_row_sums(student)


# --- hw03 dropout ------------------------------------------------------------------------------

def _module_answer(mro):
    return lambda x, p, train=True, seed=0: {"y": _dropout(x, p, seed), "mro": mro}


def test_dropout_module_is_judged_from_the_mro_names():
    test_dropout.test_module_trains_like_function(_student(dropout_module=_module_answer(MODULE_MRO)))
    with pytest.raises(Mismatch, match="Dropout is not a torch.nn.Module"):
        test_dropout.test_module_trains_like_function(_student(dropout_module=_module_answer(
            ["dropout.Dropout", "builtins.object"])))


@pytest.mark.parametrize("mro", [True, "torch.nn.modules.module.Module", None])
def test_a_forged_verdict_in_place_of_the_mro_is_not_believed(mro):
    with pytest.raises(Mismatch, match="Dropout is not a torch.nn.Module"):
        test_dropout.test_module_trains_like_function(_student(dropout_module=_module_answer(mro)))


def _calls(modify_x=None, report_x=None):
    """dropout_calls as a worker would answer it; modify_x changes x in place after each call."""
    def answer(x, p, seeds):
        x = x.clone()
        original = x.clone()
        outputs = []
        for seed in seeds:
            outputs.append(_dropout(x, p, seed))
            if modify_x:
                modify_x(x, outputs[-1])
        return {"outputs": outputs, "x_after": original if report_x == "forged" else x}
    return answer


def _grad(x, p, seed=0):
    y = _dropout(x, p, seed)
    return {"y": y, "grad": (y != 0).float() / (1 - p)}


def test_dropout_that_leaves_x_alone_passes():
    test_dropout.test_not_in_place_and_gradient(_student(dropout_calls=_calls(), dropout_grad=_grad))


def test_x_changed_in_place_is_seen_in_the_x_that_comes_back():
    zero_dropped = lambda x, y: x.masked_fill_(y == 0, 0)  # noqa: E731
    with pytest.raises(Mismatch, match="dropout modified its input x in place"):
        test_dropout.test_not_in_place_and_gradient(_student(dropout_calls=_calls(zero_dropped), dropout_grad=_grad))


def test_x_changed_in_place_is_seen_in_later_outputs_even_when_x_after_is_forged():
    zero_dropped = lambda x, y: x.masked_fill_(y == 0, 0)  # noqa: E731
    forged = _calls(zero_dropped, report_x="forged")
    with pytest.raises(Mismatch, match="dropout modified its input x in place"):
        test_dropout.test_not_in_place_and_gradient(_student(dropout_calls=forged, dropout_grad=_grad))


# --- hw03 optimizers ---------------------------------------------------------------------------

def _facts(mro, loss=5.25, calls=1):
    return lambda cls, start: {"mro": mro, "loss": loss, "closure_calls": calls}


def test_optimizer_facts_are_judged_in_the_parent():
    test_optimizers.test_is_optimizer_and_returns_closure_loss(_student(optimizer_facts=_facts(OPTIMIZER_MRO)),
                                                               "Momentum")
    with pytest.raises(Mismatch, match="Momentum is not a subclass of torch.optim.Optimizer"):
        test_optimizers.test_is_optimizer_and_returns_closure_loss(
            _student(optimizer_facts=_facts(["optimizers.Momentum", "builtins.object"])), "Momentum")


def test_closure_loss_is_compared_with_the_loss_at_the_parents_start_point():
    with pytest.raises(Mismatch, match=r"returned 3.0 after calling the closure 1 time\(s\); "
                                       r"expected the closure's loss 5.25"):
        test_optimizers.test_is_optimizer_and_returns_closure_loss(
            _student(optimizer_facts=_facts(OPTIMIZER_MRO, loss=3.0)), "Momentum")


# --- hw04 --------------------------------------------------------------------------------------

@pytest.mark.parametrize("result", [{"mro": ["phone_price.Predictor", "builtins.object"], "logits": torch.zeros(3, 4)},
                                    {"is_module": True, "logits": torch.zeros(3, 4)}])
def test_hw04_logits_from_something_not_a_module_get_no_credit(result):
    with pytest.raises(Mismatch, match="not a torch.nn.Module"):
        judge.check_result(result, 3)


# --- no harness returns a bool -----------------------------------------------------------------

def _hw03_student() -> SimpleNamespace:
    folder = ROOT / "submissions" / "hw03" / "correct"
    return SimpleNamespace(**{name: _load(folder / f"{name}.py", f"_verdicts_hw03_{name}")
                              for name in ("optimizers", "dropout")})


def test_hw03_harness_returns_no_bools():
    h, s = _harness("hw03"), _hw03_student()
    x = torch.rand(100) + 0.5
    answers = [h.run_optimizer(s, "Adam", [torch.ones(2)], [[torch.ones(2)]] * 2, {}),
               h.optimizer_facts(s, "Adam", torch.ones(3)),
               h.dropout_call(s, x, 0.3), h.dropout_calls(s, x, 0.3, [0, 1]),
               h.dropout_module(s, x, 0.3), h.dropout_reproducible(s, x, 0.3), h.dropout_grad(s, x, 0.3)]
    assert all(_no_bools(a) for a in answers)
    assert "torch.optim.optimizer.Optimizer" in answers[1]["mro"]
    assert "torch.nn.modules.module.Module" in answers[4]["mro"]


def test_hw02_harness_returns_no_bools(monkeypatch):
    h = _harness("hw02")
    folder = ROOT / "submissions" / "hw02" / "correct"
    activations = _load(folder / "activations.py", "_verdicts_hw02_activations")
    monkeypatch.setitem(sys.modules, "activations", activations)  # backprop.py imports it by that name
    s = SimpleNamespace(activations=activations, backprop=_load(folder / "backprop.py", "_verdicts_hw02_backprop"))
    z = np.array([-1000.0, 0.0, 1000.0])
    W = np.array([[0.15, 0.20], [0.25, 0.30]])
    x, t = np.array([[0.05, 0.10]]), np.array([[0.01, 0.99]])
    answers = [h.checked_call(s, "sigmoid", z), h.activation_table(s, z),
               h.course_chain(s, x, t, W, np.array([0.35, 0.35]), W + 0.25, np.array([0.6, 0.6]), 0.5)]
    assert all(_no_bools(a) for a in answers)


def test_hw04_harness_returns_no_bools_and_the_mro():
    h = _harness("hw04")
    fit = lambda X, y, device: torch.nn.Linear(X.shape[1], 4)  # noqa: E731
    plain = lambda X, y, device: "a string"  # noqa: E731
    X, y = np.ones((8, 20), dtype=np.float32), np.zeros(8, dtype=np.int64)
    module = h.train_and_predict(SimpleNamespace(phone_price=SimpleNamespace(fit=fit)), X, y, X[:3])
    other = h.train_and_predict(SimpleNamespace(phone_price=SimpleNamespace(fit=plain)), X, y, X[:3])
    assert _no_bools(module) and _no_bools(other)
    assert judge.check_result(module, 3).shape == (3, 4)
    with pytest.raises(Mismatch, match="fit\\(\\) returned a str, not a torch.nn.Module"):
        judge.check_result(other, 3)
