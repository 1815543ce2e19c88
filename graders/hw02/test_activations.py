"""Hidden suite, part activations (25 points): numpy activations against torch autograd, and at the edges."""
import numpy as np
import pytest
import torch

from graders.core.compare import expect_array, expect_true
from graders.i18n import N_, _

TORCH = {"sigmoid": torch.sigmoid, "tanh": torch.tanh, "relu": torch.relu}


def _random_z(seed, shape=(4, 5)):
    g = torch.Generator().manual_seed(seed)
    return (torch.randn(*shape, generator=g, dtype=torch.float64) * 3)


def _autograd(name, z):
    """(value, derivative) of torch's activation at z, the derivative by autograd."""
    leaf = z.clone().requires_grad_(True)
    y = TORCH[name](leaf)
    y.sum().backward()
    return y.detach().numpy(), leaf.grad.numpy()


def _grad_wrongs(name, z):
    value = _autograd(name, z)[0]
    wrongs = {_("d{name}/dz: you returned {name}(z) itself").format(name=name): value}
    if name == "sigmoid":
        wrongs[_("d sigma/dz = sigma(z) (1 - sigma(z)) is written in sigma(z): apply sigmoid first, not z (1 - z)")] = \
            z.numpy() * (1 - z.numpy())
    if name == "tanh":
        wrongs[_("d tanh/dz = 1 - tanh(z)**2, not 1 - z**2")] = 1 - z.numpy() ** 2
    return wrongs


@pytest.mark.parametrize("name", ["sigmoid", "tanh", "relu"])
def test_matches_torch(student, name):
    z = _random_z(1)
    value = _autograd(name, z)[0]
    expect_array(getattr(student.activations, name)(z.numpy()), value,
                 name=_("{name}(z) on a random (4, 5) z").format(name=name))


@pytest.mark.parametrize("name", ["sigmoid", "tanh", "relu"])
def test_derivative_matches_autograd(student, name):
    z = _random_z(2)
    grad = _autograd(name, z)[1]
    expect_array(getattr(student.activations, f"{name}_grad")(z.numpy()), grad,
                 name=_("{name}_grad(z) on a random (4, 5) z (compared with torch autograd)").format(name=name),
                 wrong=_grad_wrongs(name, z))


def test_relu_grad_at_zero_is_zero(student):
    z = np.array([-2.0, 0.0, 3.0])
    expect_array(student.activations.relu_grad(z), np.array([0.0, 0.0, 1.0]), name="relu_grad([-2, 0, 3])",
                 hint=_("the course takes the derivative of ReLU at 0 to be 0: use z > 0, not z >= 0"))


def test_one_dimensional_and_three_dimensional_input(student):
    for z in (_random_z(3, (7,)), _random_z(4, (2, 3, 2))):
        value, grad = _autograd("sigmoid", z)
        expect_array(student.activations.sigmoid(z.numpy()), value,
                     name=_("sigmoid(z) for z of shape {shape}").format(shape=tuple(z.shape)))
        expect_array(student.activations.sigmoid_grad(z.numpy()), grad,
                     name=_("sigmoid_grad(z) for z of shape {shape}").format(shape=tuple(z.shape)))


def _edge_check(student, golden, func, hint):
    z = golden["activation_edges"].args[0]
    got = student.harness.checked_call(func, z, label=f"activations.{func}()")
    expect_array(got["value"], golden["activation_edges"].output[func], name=f"{func}({z.tolist()})",
                 atol=1e-12, rtol=1e-9, hint=hint)
    expect_true(not got["fault"], _("{call} gives the right values, but numpy reported: {fault}").format(
        call=f"{func}({z.tolist()})", fault=got["fault"]), hint)


SIGMOID_HINT = N_("exp(-z) overflows for z = -1000: compute with exp(-|z|) only, e.g. "
                  "e = exp(-|z|); sigmoid = 1 / (1 + e) where z >= 0, e / (1 + e) where z < 0")


def test_sigmoid_stable_for_large_inputs(student, golden):
    _edge_check(student, golden, "sigmoid", _(SIGMOID_HINT))


def test_sigmoid_grad_stable_for_large_inputs(student, golden):
    _edge_check(student, golden, "sigmoid_grad", _("write it as s * (1 - s) with a stable s = sigmoid(z)"))


def test_tanh_stable_for_large_inputs(student, golden):
    _edge_check(student, golden, "tanh", _("(e^z - e^-z) / (e^z + e^-z) is inf / inf for |z| = 1000: use np.tanh "
                                           "or rewrite with exp(-2|z|)"))
    _edge_check(student, golden, "tanh_grad", _("write it as 1 - tanh(z)**2 with a stable tanh"))
