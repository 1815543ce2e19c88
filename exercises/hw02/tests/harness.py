"""hw02 harness: small drivers run INSIDE the worker around the student's numpy functions.

It holds nothing secret (no expected values): it chains the student's own
functions, or watches a call for numpy floating-point errors, and returns
plain arrays for the parent to judge. `student` is the worker's lazy view of
the submission's modules.
"""
import numpy as np


def course_chain(student, x, t, W1, b1, W2, b2, lr):
    """forward -> mse_loss -> backward -> sgd_step with the student's own values at every stage."""
    bp = student.backprop
    cache = bp.forward(x, W1, b1, W2, b2)
    loss = bp.mse_loss(cache["a2"], t)
    grads = bp.backward(x, t, cache, W1, W2)
    params = bp.sgd_step({"W1": W1, "b1": b1, "W2": W2, "b2": b2}, grads, lr)
    return {"forward": cache, "loss": loss, "grads": grads, "params": params}


def checked_call(student, func, z):
    """activations.<func>(z), and the first numpy floating-point error (overflow, invalid) it raises, if any."""
    f = getattr(student.activations, func)
    try:
        with np.errstate(over="raise", invalid="raise", divide="raise"):
            f(z.copy())
        fault = ""
    except FloatingPointError as exc:
        fault = str(exc)
    return {"value": f(z.copy()), "fault": fault}


def activation_table(student, z):
    """Every activation and derivative at the points z."""
    names = ["sigmoid", "sigmoid_grad", "tanh", "tanh_grad", "relu", "relu_grad"]
    return {name: getattr(student.activations, name)(z.copy()) for name in names}
