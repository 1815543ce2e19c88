"""Hidden suite, part softmax (25 points). Runs in the trusted parent; student calls go to the sandbox."""
import pytest
import torch

from graders.core.compare import expect_tensor, expect_true
from graders.hw03 import wrong
from graders.i18n import N_, _

SHIFT_HINT = N_("subtract the max along dim before exp: exp(x - x.max(dim, keepdim=True).values)")


def _softmax_case(student, golden, name, **tol):
    case = golden[name]
    got = student.softmax.softmax(*case.args, **case.kwargs)
    x = case.args[0]
    wrongs = {_(SHIFT_HINT): wrong.softmax_no_shift(x, **case.kwargs)}
    expect_tensor(got, case.output, name=f"softmax(x{', dim=' + str(case.kwargs['dim']) if 'dim' in case.kwargs else ''})",
                  wrong=wrongs, **tol)


def test_matches_reference_batch(student, golden):
    _softmax_case(student, golden, "softmax_batch")


def test_along_dim0(student, golden):
    _softmax_case(student, golden, "softmax_dim0",)


def test_three_dimensional_input(student, golden):
    _softmax_case(student, golden, "softmax_3d")


def test_stable_for_large_logits(student, golden):
    _softmax_case(student, golden, "softmax_large", atol=1e-4, rtol=1e-4)


def test_minus_inf_gets_zero_probability(student, golden):
    _softmax_case(student, golden, "softmax_neg_inf")


@pytest.mark.parametrize("dtype", ["float16", "bfloat16", "float64"])
def test_keeps_dtype(student, dtype):
    x = (torch.arange(12, dtype=torch.float64).reshape(3, 4) / 3 - 2).to(getattr(torch, dtype))
    expected = torch.softmax(x.double(), -1).to(x.dtype)
    tol = 1e-2 if dtype in ("float16", "bfloat16") else 1e-10
    expect_tensor(student.softmax.softmax(x), expected, name=_("softmax(x) for {dtype} x").format(dtype=dtype), atol=tol, rtol=tol)


def test_empty_input(student):
    got = student.softmax.softmax(torch.empty(0, 3))
    expect_tensor(got, torch.empty(0, 3), name=_("softmax(empty (0, 3) tensor)"))


def test_backward_matches_reference(student, golden):
    case = golden["softmax_backward_batch"]
    y, g = case.args
    got = student.softmax.softmax_backward(y, g)
    expect_tensor(got, case.output, name="softmax_backward(y, grad_output)", wrong={
        _("you dropped the -(grad_output * y).sum(dim) term: dL/dx = y * (g - sum(g * y))"):
            wrong.backward_drops_term(y, g),
        _("sign error: dL/dx = y * (g - sum(g * y)), not y * (sum(g * y) - g)"): wrong.backward_wrong_sign(y, g)})


def test_backward_along_dim0(student, golden):
    case = golden["softmax_backward_dim0"]
    got = student.softmax.softmax_backward(*case.args, **case.kwargs)
    expect_tensor(got, case.output, name="softmax_backward(y, grad_output, dim=0)",
                  hint=_("reduce (grad_output * y) over `dim` with keepdim=True"))


def test_jacobian_matches_reference(student, golden):
    case = golden["softmax_jacobian"]
    (x,) = case.args
    got = student.softmax.softmax_jacobian(x)
    expect_tensor(got, case.output, name="softmax_jacobian(x)", wrong={
        _("you dropped the -y_i y_j term: J[i, j] = y_i (delta_ij - y_j)"): wrong.jacobian_no_cross_term(x),
        _("J[i, j] = y_i (delta_ij - y_j): the 1 applies only on the diagonal (i == j)"): wrong.jacobian_one_minus(x)})


def test_jacobian_is_symmetric_with_zero_row_sums(student):
    """Properties of J = diag(y) - y y^T, with its diagonal pinned: the zero matrix is symmetric with zero sums too."""
    x = torch.tensor([0.5, -1.0, 2.0, 0.0])
    J = student.softmax.softmax_jacobian(x)
    expect_true(isinstance(J, torch.Tensor) and tuple(J.shape) == (4, 4),
                _("softmax_jacobian(x) for x of shape (4,) should be a (4, 4) tensor; got {got}").format(
                    got=tuple(J.shape) if isinstance(J, torch.Tensor) else type(J).__name__))
    J = J.double()
    y = torch.softmax(x.double(), 0)
    expect_tensor(J.diagonal(), y * (1 - y), name=_("the diagonal of softmax_jacobian(x)"), dtype=False,
                  atol=1e-6, rtol=1e-5, hint=_("J[i, i] = y_i (1 - y_i) and J[i, j] = -y_i y_j for i != j"))
    expect_true(torch.allclose(J.sum(0), torch.zeros(4, dtype=J.dtype), atol=1e-6),
                _("the columns of softmax_jacobian(x) should sum to 0 (softmax sums to 1); got sums {sums}").format(
                    sums=J.sum(0).tolist()))
    expect_true(torch.allclose(J, J.T, atol=1e-6), _("softmax_jacobian(x) should be symmetric"))


def test_cross_entropy_grad_matches_reference(student, golden):
    case = golden["cross_entropy_grad"]
    logits, target = case.args
    got = student.softmax.cross_entropy_grad(logits, target)
    expect_tensor(got, case.output, name="cross_entropy_grad(logits, target)", wrong={
        _("nn.CrossEntropyLoss averages over the batch: divide by N"): wrong.ce_sum_not_mean(logits, target)})
