"""hw02 reference — forward and backward pass of the 2-layer sigmoid network, numpy only."""
import numpy as np

from activations import sigmoid


def forward(x, W1, b1, W2, b2):
    """Row-vector batch x (N, d): z = x @ W.T + b, sigmoid after both layers."""
    z1 = x @ W1.T + b1
    a1 = sigmoid(z1)
    z2 = a1 @ W2.T + b2
    a2 = sigmoid(z2)
    return {"z1": z1, "a1": a1, "z2": z2, "a2": a2}


def mse_loss(a2, t):
    """sum((a2 - t)**2) / 2 over the whole batch."""
    return float(np.sum((a2 - t) ** 2) / 2)


def backward(x, t, cache, W1, W2):
    """Gradients of mse_loss w.r.t. W1, b1, W2, b2, by the chain rule."""
    a1, a2 = cache["a1"], cache["a2"]
    delta2 = (a2 - t) * a2 * (1 - a2)         # dL/dz2
    delta1 = (delta2 @ W2) * a1 * (1 - a1)    # dL/dz1, with the W2 of this forward pass
    return {"W1": delta1.T @ x, "b1": delta1.sum(axis=0),
            "W2": delta2.T @ a1, "b2": delta2.sum(axis=0)}


def sgd_step(params, grads, lr):
    """New parameters p - lr * dp for every parameter (the inputs are left unchanged)."""
    return {name: params[name] - lr * grads[name] for name in params}
