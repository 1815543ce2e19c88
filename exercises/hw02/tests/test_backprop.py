"""Public checks for backprop.py on the course's 2-2-2 network (the numbers of the course notes)."""
import numpy as np

from graders.core.compare import expect_array, expect_number
from graders.i18n import _

X = np.array([[0.05, 0.10]])
T = np.array([[0.01, 0.99]])
PARAMS = {"W1": np.array([[0.15, 0.20], [0.25, 0.30]]), "b1": np.array([0.35, 0.35]),
          "W2": np.array([[0.40, 0.45], [0.50, 0.55]]), "b2": np.array([0.60, 0.60])}
COURSE = 5e-5  # the course notes print 4 decimals


def test_course_output(student):
    cache = student.backprop.forward(X, *PARAMS.values())
    expect_array(cache["a2"], np.array([[0.7514, 0.7729]]), name=_("a2 of the course network"), atol=COURSE)


def test_course_loss(student):
    a2 = np.array([[0.75136507, 0.77292847]])
    expect_number(student.backprop.mse_loss(a2, T), 0.2984, name=_("mse_loss(a2, t) of the course network"),
                  atol=COURSE)


def test_course_gradients_and_step(student):
    out = student.harness.course_chain(X, T, *PARAMS.values(), 0.5, label="forward/mse_loss/backward/sgd_step")
    expect_array(out["grads"]["W2"], np.array([[0.0822, 0.0827], [-0.0226, -0.0227]]), name="dW2", atol=COURSE)
    expect_array(out["grads"]["W1"], np.array([[0.0004, 0.0009], [0.0005, 0.0010]]), name="dW1", atol=COURSE)
    expect_array(out["params"]["b2"], np.array([0.5308, 0.6190]), name=_("b2 after one step (lr 0.5)"), atol=COURSE)
