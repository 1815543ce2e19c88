"""hw02 harness: small drivers run INSIDE the worker around the student's numpy functions.

It holds nothing secret (no expected values): it chains the student's own
functions, or watches a call for numpy floating-point errors, and returns
plain arrays for the parent to judge. `student` is the worker's lazy view of
the submission's modules.

It returns observations, never verdicts, and the parent judges them; the
submission shares this interpreter, so any of them may be forged. Arrays are
compared with values the worker never sees: forging one means computing it.
One observation only the worker can make: `checked_call`'s `fault`, the text of
the numpy floating-point error a call raised. A submission that hides it (its own
`np.errstate(over="ignore")`, or by patching numpy or this module) gains the
"no overflow" half of an edge test for a function whose values at the edges are
already right; the values themselves are still judged in the parent.
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
    """activations.<func>(z), and the text of the first numpy floating-point error it raises ("" if none).

    The text is an observation for the parent to judge, not a verdict (see the module docstring)."""
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
