"""hw02 reference — activation functions and their derivatives (numpy)."""
import numpy as np


def sigmoid(z):
    """1 / (1 + exp(-z)), evaluated so that exp never overflows (exp of -|z| only)."""
    z = np.asarray(z, dtype=float)
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def sigmoid_grad(z):
    """d sigmoid / dz = sigmoid(z) (1 - sigmoid(z))."""
    s = sigmoid(z)
    return s * (1.0 - s)


def tanh(z):
    """Hyperbolic tangent."""
    return np.tanh(np.asarray(z, dtype=float))


def tanh_grad(z):
    """d tanh / dz = 1 - tanh(z)^2."""
    return 1.0 - tanh(z) ** 2


def relu(z):
    """max(z, 0)."""
    return np.maximum(np.asarray(z, dtype=float), 0.0)


def relu_grad(z):
    """1 where z > 0, else 0 (so relu_grad(0) == 0)."""
    return (np.asarray(z, dtype=float) > 0).astype(float)
