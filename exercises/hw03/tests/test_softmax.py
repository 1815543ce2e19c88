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
