"""hw02 — activation functions and their derivatives, in numpy.

Every function takes a numpy array z (any shape) and returns a numpy array of
the same shape, element by element.
"""

import numpy as np


def sigmoid(z):
    """sigma(z) = 1 / (1 + exp(-z)).

    Must not overflow: sigmoid(np.array([-1000.0])) is 0 with no numpy overflow
    warning, sigmoid(np.array([1000.0])) is 1 (exp of a large positive number
    overflows, so never compute exp(-z) for very negative z, or exp(z) for very
    positive z).
    """
    raise NotImplementedError("sigmoid: return 1 / (1 + exp(-z)) without overflowing for large |z|")


def sigmoid_grad(z):
    """d sigma / dz = sigma(z) * (1 - sigma(z))."""
    raise NotImplementedError("sigmoid_grad: return sigmoid(z) * (1 - sigmoid(z))")


def tanh(z):
    """tanh(z) = (exp(z) - exp(-z)) / (exp(z) + exp(-z)); -1 and 1 for large |z|, never NaN."""
    raise NotImplementedError("tanh: return the hyperbolic tangent of z")


def tanh_grad(z):
    """d tanh / dz = 1 - tanh(z)**2."""
    raise NotImplementedError("tanh_grad: return 1 - tanh(z)**2")


def relu(z):
    """max(z, 0)."""
    raise NotImplementedError("relu: return max(z, 0) element by element")


def relu_grad(z):
    """1 where z > 0, else 0; the course takes relu_grad(0) == 0."""
    raise NotImplementedError("relu_grad: return 1.0 where z > 0, else 0.0")
