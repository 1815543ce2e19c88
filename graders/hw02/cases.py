"""hw02 golden cases: fixed inputs whose reference outputs `grade reference hw02` records.

The course network is the worked example of the course notes; the hidden suite
checks the recorded values against the numbers the notes print. Random
networks are checked against torch autograd directly in the hidden suite.
"""
import numpy as np

from graders.core.golden import Case

LR = 0.5
EDGES = np.array([-1000.0, -50.0, -1.0, 0.0, 1.0, 50.0, 1000.0])


def course_network():
    """x, t, W1, b1, W2, b2 of the course's 2-2-2 example (row-vector batch of one)."""
    return {"x": np.array([[0.05, 0.10]]), "t": np.array([[0.01, 0.99]]),
            "W1": np.array([[0.15, 0.20], [0.25, 0.30]]), "b1": np.array([0.35, 0.35]),
            "W2": np.array([[0.40, 0.45], [0.50, 0.55]]), "b2": np.array([0.60, 0.60])}


# What the course notes print for this network (4 decimals).
COURSE = {
    "a2": [[0.7514, 0.7729]], "loss": 0.2984,
    "dW1": [[0.0004, 0.0009], [0.0005, 0.0010]], "dW2": [[0.0822, 0.0827], [-0.0226, -0.0227]],
    "W1": [[0.1498, 0.1996], [0.2498, 0.2995]], "b1": [0.3456, 0.3450],
    "W2": [[0.3589, 0.4087], [0.5113, 0.5614]], "b2": [0.5308, 0.6190],
}


def cases():
    """Every golden case of hw02."""
    n = course_network()
    return [
        Case("course_chain", "backprop", "harness", "course_chain",
             [n["x"], n["t"], n["W1"], n["b1"], n["W2"], n["b2"], LR], {}),
        Case("activation_edges", "activations", "harness", "activation_table", [EDGES], {}),
    ]
