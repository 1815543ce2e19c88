"""hw02 — one forward and backward pass of the course's 2-2-2 sigmoid network, by hand.

Rule: numpy only. forward, mse_loss, backward and sgd_step (and any helper
they call) may not use torch (no autograd): write every gradient by the chain
rule. You may import your own sigmoid from activations.py.

Shapes (row-vector batches, as nn.Linear): x (N, d_in), W1 (h, d_in), b1 (h,),
W2 (d_out, h), b2 (d_out,), t (N, d_out); z = x @ W.T + b. The code must work
for any sizes, not only 2-2-2.
"""

import numpy as np


def forward(x, W1, b1, W2, b2):
    """z1 = x @ W1.T + b1, a1 = sigmoid(z1), z2 = a1 @ W2.T + b2, a2 = sigmoid(z2).

    Returns the dict {"z1": z1, "a1": a1, "z2": z2, "a2": a2} (the cache backward uses).
    """
    raise NotImplementedError("forward: return {'z1': ..., 'a1': ..., 'z2': ..., 'a2': ...}")


def mse_loss(a2, t):
    """The course loss: sum((a2 - t)**2) / 2 over every output of every example, as a float."""
    raise NotImplementedError("mse_loss: return sum((a2 - t)**2) / 2")


def backward(x, t, cache, W1, W2):
    """Gradients of mse_loss(forward(...)["a2"], t) by the chain rule.

    cache is forward's dict. Returns {"W1": dW1, "b1": db1, "W2": dW2, "b2": db2},
    each of the shape of its parameter.
    """
    raise NotImplementedError("backward: return {'W1': dW1, 'b1': db1, 'W2': dW2, 'b2': db2}")


def sgd_step(params, grads, lr):
    """One step of gradient descent: {name: params[name] - lr * grads[name]} for every parameter."""
    raise NotImplementedError("sgd_step: return the new parameters p - lr * dp")
