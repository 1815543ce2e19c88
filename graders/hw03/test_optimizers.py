"""Hidden suite, part optimizers (30 points): trajectories of 25 steps against the reference's."""
import pytest
import torch

from graders.core.compare import expect_tensor, expect_true
from graders.hw03 import wrong
from graders.hw03.cases import OPTIMIZERS
from graders.i18n import N_, _

OPTIMIZER = "torch.optim.optimizer.Optimizer"
CLOSURE_START = torch.tensor([1.0, -2.0, 0.5])  # the closure's loss is sum(p**2) = 5.25 at this point
VARIANTS = {"trajectory": N_("trajectory"), "none_grads": N_("none grads"), "param_groups": N_("param groups")}


def _flat(trajectory):
    if not isinstance(trajectory, list) or not trajectory:
        return trajectory
    return torch.stack([torch.cat([p.reshape(-1).float() for p in step]) for step in trajectory])


def _lrs(case, kwargs):
    groups = case.kwargs.get("groups")
    if not groups:
        return [kwargs["lr"]] * len(case.args[1])
    lrs = {}
    for indices, options in groups:
        for i in indices:
            lrs[i] = options.get("lr", kwargs["lr"])
    return [lrs[i] for i in range(len(case.args[1]))]


def _check(student, golden, key, variant):
    case = golden[f"{key}_{variant}"]
    cls, params, grads, kwargs = case.args
    got = student.harness.run_optimizer(*case.args, **case.kwargs, label=f"{cls}.step()")
    expected = _flat(case.output)
    mistakes = wrong.optimizer_mistakes(cls, params, grads, kwargs, _lrs(case, kwargs))
    expect_tensor(_flat(got), expected, name=_("{cls} parameters over {steps} steps ({variant})").format(
                      cls=cls, steps=len(grads), variant=_(VARIANTS[variant])),
                  atol=1e-5, rtol=1e-4, wrong=mistakes, dtype=False)


@pytest.mark.parametrize("key", list(OPTIMIZERS))
def test_trajectory(student, golden, key):
    _check(student, golden, key, "trajectory")


@pytest.mark.parametrize("key", list(OPTIMIZERS))
def test_none_grads_leave_parameter_alone(student, golden, key):
    _check(student, golden, key, "none_grads")


@pytest.mark.parametrize("key", list(OPTIMIZERS))
def test_param_groups(student, golden, key):
    _check(student, golden, key, "param_groups")


@pytest.mark.parametrize("cls", [c for c, _ in OPTIMIZERS.values()])
def test_is_optimizer_and_returns_closure_loss(student, cls):
    facts = student.harness.optimizer_facts(cls, CLOSURE_START, label=f"{cls}.step(closure)")
    mro = facts["mro"]  # reported by the worker; the verdict is made here
    expect_true(isinstance(mro, list) and OPTIMIZER in mro,
                _("{cls} is not a subclass of torch.optim.Optimizer").format(cls=cls),
                _("declare it as class Name(torch.optim.Optimizer) and call super().__init__(params, defaults)"))
    expected = float((CLOSURE_START * CLOSURE_START).sum())
    loss = facts["loss"]
    expect_true(facts["closure_calls"] == 1 and isinstance(loss, float) and abs(loss - expected) < 1e-6,
                _("{cls}.step(closure) returned {loss} after calling the closure {calls} time(s); "
                  "expected the closure's loss {expected} after one call").format(
                    cls=cls, loss=loss, calls=facts["closure_calls"], expected=expected),
                _("in step(): loss = None; if closure is not None: with torch.enable_grad(): loss = closure(); ...; "
                  "return loss"))
