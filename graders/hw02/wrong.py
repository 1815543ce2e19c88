"""Known-wrong formulas of hw02 (the issue's misconceptions), computed in the trusted parent with numpy.

A student's output that equals one of these names the mistake in the hint.
"""
import numpy as np

from graders.i18n import N_, _

NO_OUTPUT_SIGMOID = N_("the output delta lacks the sigmoid derivative: "
                       "delta2 = (a2 - t) * a2 * (1 - a2), not just a2 - t")
NO_HIDDEN_SIGMOID = N_("the hidden delta lacks the sigmoid derivative: "
                       "delta1 = (delta2 @ W2) * a1 * (1 - a1)")
TRANSPOSED = N_("the weight gradients are transposed: dW2 = delta2.T @ a1 and dW1 = delta1.T @ x have the shape "
                "(out, in) of W")
NO_HALF = N_("the course loss is sum((a2 - t)**2) / 2: the 1/2 cancels the 2 of the square, so dL/da2 = a2 - t, "
             "not 2 (a2 - t)")
NEW_W2 = N_("dW1 was computed with the already updated W2: backpropagate delta2 through the W2 of the forward pass, "
            "compute every gradient first, then update")


def _grads(x, t, a1, a2, W2, *, out_sigmoid=True, hidden_sigmoid=True, scale=1.0, transpose=False, lr_w2=0.0):
    delta2 = scale * (a2 - t) * (a2 * (1 - a2) if out_sigmoid else 1.0)
    dW2 = delta2.T @ a1
    W2_used = W2 - lr_w2 * dW2
    delta1 = (delta2 @ W2_used) * (a1 * (1 - a1) if hidden_sigmoid else 1.0)
    dW1 = delta1.T @ x
    if transpose:
        dW1, dW2 = dW1.T, dW2.T
    return {"W1": dW1, "b1": delta1.sum(0), "W2": dW2, "b2": delta2.sum(0)}


def backward_mistakes(x, t, cache, W2, lr=0.5):
    """hint -> the gradients dict of each known-wrong backward pass."""
    a1, a2 = np.asarray(cache["a1"]), np.asarray(cache["a2"])
    return {
        _(NO_OUTPUT_SIGMOID): _grads(x, t, a1, a2, W2, out_sigmoid=False),
        _(NO_HIDDEN_SIGMOID): _grads(x, t, a1, a2, W2, hidden_sigmoid=False),
        _(TRANSPOSED): _grads(x, t, a1, a2, W2, transpose=True),
        _(NO_HALF): _grads(x, t, a1, a2, W2, scale=2.0),
        _(NEW_W2): _grads(x, t, a1, a2, W2, lr_w2=lr),
    }


def loss_mistakes(a2, t):
    """hint -> value of each known-wrong loss."""
    return {_("the course loss has a 1/2: sum((a2 - t)**2) / 2"): float(np.sum((a2 - t) ** 2)),
            _("the course loss sums over the outputs (and the batch), it does not average: sum((a2 - t)**2) / 2"):
                float(np.mean((a2 - t) ** 2) / 2),
            _("square the error: sum((a2 - t)**2) / 2"): float(np.sum(a2 - t) / 2)}


def sgd_mistakes(params, grads, lr):
    """hint -> parameters after each known-wrong step."""
    return {_("gradient DEscent: p - lr * dp (you added the gradient)"):
            {k: params[k] + lr * grads[k] for k in params},
            _("multiply the gradient by the learning rate: p - lr * dp"): {k: params[k] - grads[k] for k in params}}
