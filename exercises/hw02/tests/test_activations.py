"""Public checks for activations.py — run them with `grade hw02` in your hw02 folder."""
import numpy as np

from graders.core.compare import expect_array


def test_sigmoid_at_zero_and_one(student):
    expect_array(student.activations.sigmoid(np.array([0.0, 1.0])), np.array([0.5, 0.7310585786300049]),
                 name="sigmoid([0, 1])")


def test_sigmoid_grad_at_zero(student):
    expect_array(student.activations.sigmoid_grad(np.array([0.0])), np.array([0.25]), name="sigmoid_grad([0])")


def test_tanh_and_its_derivative(student):
    z = np.array([-0.5, 0.0, 2.0])
    expect_array(student.activations.tanh(z), np.tanh(z), name="tanh([-0.5, 0, 2])")
    expect_array(student.activations.tanh_grad(z), 1 - np.tanh(z) ** 2, name="tanh_grad([-0.5, 0, 2])")


def test_relu_and_its_derivative(student):
    z = np.array([[-1.0, 0.0], [2.0, -3.0]])
    expect_array(student.activations.relu(z), np.array([[0.0, 0.0], [2.0, 0.0]]), name="relu(z)")
    expect_array(student.activations.relu_grad(z), np.array([[0.0, 0.0], [1.0, 0.0]]), name="relu_grad(z)")
