"""Hidden suite, part optimizers (30 points): trajectories of 25 steps against the reference's."""
import pytest
import torch

from graders.core.compare import expect_tensor, expect_true
from graders.hw03 import wrong
from graders.hw03.cases import OPTIMIZERS
from graders.i18n import N_, _

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
    facts = student.harness.optimizer_facts(cls, label=f"{cls}.step(closure)")
    expect_true(facts["is_optimizer"], _("{cls} is not a subclass of torch.optim.Optimizer").format(cls=cls),
                _("declare it as class Name(torch.optim.Optimizer) and call super().__init__(params, defaults)"))
    expect_true(facts["closure_calls"] == 1 and facts["loss"] == 3.0,
                _("{cls}.step(closure) returned {loss} after calling the closure {calls} time(s); "
                  "expected the closure's loss 3.0 after one call").format(
                    cls=cls, loss=facts["loss"], calls=facts["closure_calls"]),
                _("in step(): loss = None; if closure is not None: with torch.enable_grad(): loss = closure(); ...; "
                  "return loss"))
