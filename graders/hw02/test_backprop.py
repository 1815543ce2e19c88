"""Hidden suite, part backprop (50 points): the course's worked network and random networks.

The course network is checked against the golden outputs recorded from the
reference and against every number the course notes print (to 4 decimals);
random networks of other sizes against torch autograd, computed here.
"""
import numpy as np
import pytest
import torch

from graders.core.compare import expect_array, expect_number, expect_true
from graders.hw02 import wrong
from graders.hw02.cases import COURSE, LR, course_network
from graders.i18n import _

PARAMS = ("W1", "b1", "W2", "b2")
KEYS = ("z1", "a1", "z2", "a2")


def _course_expected(golden):
    return golden["course_chain"].output


def _require_dict(got, keys, name):
    expect_true(isinstance(got, dict), _("{name} returned a {type}; expected a dict with keys {keys}").format(
        name=name, type=type(got).__name__, keys=", ".join(keys)),
        _("return a dict, e.g. {'z1': z1, 'a1': a1, 'z2': z2, 'a2': a2}"))
    missing = [k for k in keys if k not in got]
    expect_true(not missing, _("{name} returned a dict without {missing} (it has {keys})").format(
        name=name, missing=", ".join(missing), keys=", ".join(map(str, got))),
        _("use exactly the keys {keys}").format(keys=", ".join(keys)))


def _course_decimals(got, printed, name):
    """The value, rounded as the course notes print it, must be the printed number."""
    printed = np.asarray(printed, dtype=float)
    ok = np.all(np.abs(np.asarray(got, dtype=float) - printed) <= 5e-5 + 1e-12)
    expect_true(bool(ok), _("{name} should print as {printed} to 4 decimals (the course notes); got {got}").format(
        name=name, printed=printed.tolist(), got=np.round(np.asarray(got, dtype=float), 4).tolist()))


def _check_grads(got, expected, mistakes, name):
    _require_dict(got, PARAMS, name)
    for key in ("W2", "b2", "W1", "b1"):  # output layer first: its errors explain the hidden layer's
        expect_array(got[key], expected[key], name=name + f"['{key}']",
                     wrong={hint: grads[key] for hint, grads in mistakes.items()})


# --- the course network (golden outputs + the numbers of the course notes)

def test_forward_course_network(student, golden):
    n, expected = course_network(), _course_expected(golden)["forward"]
    got = student.backprop.forward(n["x"], n["W1"], n["b1"], n["W2"], n["b2"])
    call = _("forward(course network)")
    _require_dict(got, KEYS, call)
    for key in KEYS:
        expect_array(got[key], expected[key], name=call + f"['{key}']",
                     hint=_("z = x @ W.T + b (rows of W are the units), then a = sigmoid(z)"))
    _course_decimals(got["a2"], COURSE["a2"], _("the output a2"))


def test_loss_course_network(student, golden):
    n, expected = course_network(), _course_expected(golden)
    a2 = expected["forward"]["a2"]
    got = student.backprop.mse_loss(a2, n["t"])
    expect_number(got, expected["loss"], name=_("mse_loss(a2, t) of the course network"),
                  wrong=wrong.loss_mistakes(a2, n["t"]))
    _course_decimals(got, COURSE["loss"], _("the loss"))


def test_backward_course_network(student, golden):
    n, expected = course_network(), _course_expected(golden)
    cache = expected["forward"]
    got = student.backprop.backward(n["x"], n["t"], cache, n["W1"], n["W2"])
    mistakes = wrong.backward_mistakes(n["x"], n["t"], cache, n["W2"], lr=LR)
    _check_grads(got, expected["grads"], mistakes, _("backward(course network)"))
    _course_decimals(got["W1"], COURSE["dW1"], "dW1")
    _course_decimals(got["W2"], COURSE["dW2"], "dW2")


def test_sgd_step_course_network(student, golden):
    n, expected = course_network(), _course_expected(golden)
    params = {k: n[k] for k in PARAMS}
    got = student.backprop.sgd_step(params, expected["grads"], LR)
    _require_dict(got, PARAMS, _("sgd_step(course parameters, course gradients, lr=0.5)"))
    mistakes = wrong.sgd_mistakes(params, expected["grads"], LR)
    for key in PARAMS:
        expect_array(got[key], expected["params"][key],
                     name=_("sgd_step(...)['{key}'] for the course network").format(key=key),
                     wrong={hint: new[key] for hint, new in mistakes.items()})
        _course_decimals(got[key], COURSE[key], _("{key} after one step with lr 0.5").format(key=key))


# --- random networks of other sizes, against torch autograd

def _network(seed, n, d_in, h, d_out):
    g = torch.Generator().manual_seed(seed)
    r = lambda *s: torch.randn(*s, generator=g, dtype=torch.float64)  # noqa: E731
    return {"x": r(n, d_in), "t": torch.rand(n, d_out, generator=g, dtype=torch.float64),
            "W1": r(h, d_in), "b1": r(h) * 0.5, "W2": r(d_out, h), "b2": r(d_out) * 0.5}


def _autograd(net):
    """Forward values and the gradients of sum((a2 - t)**2) / 2, by torch autograd."""
    p = {k: net[k].clone().requires_grad_(True) for k in PARAMS}
    z1 = net["x"] @ p["W1"].T + p["b1"]
    a1 = torch.sigmoid(z1)
    z2 = a1 @ p["W2"].T + p["b2"]
    a2 = torch.sigmoid(z2)
    loss = ((a2 - net["t"]) ** 2).sum() / 2
    loss.backward()
    cache = {k: v.detach().numpy() for k, v in zip(KEYS, (z1, a1, z2, a2))}
    return cache, float(loss), {k: p[k].grad.numpy() for k in PARAMS}


SHAPES = {"5x3-4-2": (11, 5, 3, 4, 2), "1x2-3-4": (12, 1, 2, 3, 4)}


def _np(net):
    return {k: v.numpy() for k, v in net.items()}


def test_forward_random_network(student):
    net = _network(21, 6, 4, 5, 3)
    cache = _autograd(net)[0]
    a = _np(net)
    got = student.backprop.forward(a["x"], a["W1"], a["b1"], a["W2"], a["b2"])
    call = _("forward(random 6x4-5-3 network)")
    _require_dict(got, KEYS, call)
    for key in KEYS:
        expect_array(got[key], cache[key], name=call + f"['{key}']",
                     hint=_("it must work for any sizes: z = x @ W.T + b with x (N, d_in) and W (units, inputs)"))


def test_loss_random_batch(student):
    net = _network(22, 5, 2, 3, 3)
    cache, loss = _autograd(net)[:2]
    t = net["t"].numpy()
    expect_number(student.backprop.mse_loss(cache["a2"], t), loss,
                  name=_("mse_loss(a2, t) for a batch of 5 with 3 outputs"), wrong=wrong.loss_mistakes(cache["a2"], t))


@pytest.mark.parametrize("shape", list(SHAPES))
def test_backward_random_network(student, shape):
    net = _network(*SHAPES[shape])
    cache, _loss, grads = _autograd(net)
    a = _np(net)
    got = student.backprop.backward(a["x"], a["t"], cache, a["W1"], a["W2"])
    mistakes = wrong.backward_mistakes(a["x"], a["t"], cache, a["W2"], lr=LR)
    _check_grads(got, grads, mistakes, _("backward(random {shape} network)").format(shape=shape))


def test_sgd_step_random(student):
    g = np.random.default_rng(23)
    params = {"W1": g.normal(size=(3, 2)), "b1": g.normal(size=3), "W2": g.normal(size=(2, 3)), "b2": g.normal(size=2)}
    grads = {k: g.normal(size=v.shape) for k, v in params.items()}
    got = student.backprop.sgd_step(params, grads, 0.1)
    _require_dict(got, PARAMS, "sgd_step(params, grads, lr=0.1)")
    mistakes = wrong.sgd_mistakes(params, grads, 0.1)
    for key in PARAMS:
        expect_array(got[key], params[key] - 0.1 * grads[key], name=f"sgd_step(params, grads, lr=0.1)['{key}']",
                     wrong={hint: new[key] for hint, new in mistakes.items()})

