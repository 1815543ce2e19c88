"""Public checks for softmax.py — run them with `grade hw03` in your hw03 folder."""
import torch

from graders.core.compare import expect_tensor


def test_softmax_of_small_vector(student):
    x = torch.tensor([1.0, 2.0, 3.0])
    expected = torch.tensor([0.09003057, 0.24472847, 0.66524096])
    expect_tensor(student.softmax.softmax(x), expected, name="softmax([1., 2., 3.])")


def test_softmax_rows_sum_to_one(student):
    y = student.softmax.softmax(torch.randn(4, 5))
    expect_tensor(y.sum(-1), torch.ones(4), name="softmax(x).sum(-1)")


def test_softmax_backward_of_uniform(student):
    y = torch.full((4,), 0.25)
    g = torch.tensor([1.0, 0.0, 0.0, 0.0])
    expect_tensor(student.softmax.softmax_backward(y, g), torch.tensor([0.1875, -0.0625, -0.0625, -0.0625]),
                  name="softmax_backward(uniform y, e_1)")


def test_jacobian_shape(student):
    J = student.softmax.softmax_jacobian(torch.zeros(3))
    expect_tensor(J, torch.eye(3) / 3 - 1 / 9, name="softmax_jacobian(zeros(3))")


def test_softmax_is_stable_for_large_logits(student):
    # exp(1000) overflows float32: subtract the row's max first (the result does not change).
    y = student.softmax.softmax(torch.tensor([[1000.0, 0.0, -1000.0], [1e4, 1e4, 0.0]]))
    expect_tensor(y, torch.tensor([[1.0, 0.0, 0.0], [0.5, 0.5, 0.0]]), name="softmax([[1000., 0., -1000.], [1e4, 1e4, 0.]])",
                  atol=1e-4)


def test_cross_entropy_grad_is_of_the_mean_loss(student):
    # nn.CrossEntropyLoss() averages over the batch: the gradient of row n is divided by N.
    logits = torch.zeros(4, 2)
    target = torch.tensor([0, 1, 0, 1])
    expected = (torch.full((4, 2), 0.5) - torch.nn.functional.one_hot(target, 2).float()) / 4
    expect_tensor(student.softmax.cross_entropy_grad(logits, target), expected,
                  name="cross_entropy_grad(zeros(4, 2), [0, 1, 0, 1])")
