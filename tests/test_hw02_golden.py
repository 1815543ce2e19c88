"""hw02's recorded golden outputs and hidden-suite helpers agree with the course notes (trusted side only)."""
import numpy as np
import pytest

from graders.core.golden import GoldenStore
from graders.core.spec import load_assignment
from graders.hw02 import wrong
from graders.hw02.cases import COURSE, course_network

SPEC = load_assignment("hw02")


@pytest.fixture(scope="module")
def chain():
    return GoldenStore(SPEC.reference_dir / "golden")["course_chain"].output


@pytest.mark.parametrize("key,path", [
    ("a2", ("forward", "a2")), ("loss", ("loss",)), ("dW1", ("grads", "W1")), ("dW2", ("grads", "W2")),
    ("W1", ("params", "W1")), ("b1", ("params", "b1")), ("W2", ("params", "W2")), ("b2", ("params", "b2")),
])
def test_golden_prints_as_the_course_notes(chain, key, path):
    value = chain
    for p in path:
        value = value[p]
    assert np.array_equal(np.round(np.asarray(value, dtype=float), 4), np.asarray(COURSE[key]))


def test_every_misconception_differs_from_the_right_gradients_on_the_course_network(chain):
    n = course_network()
    for hint, grads in wrong.backward_mistakes(n["x"], n["t"], chain["forward"], n["W2"]).items():
        assert any(not np.allclose(grads[k], chain["grads"][k], rtol=1e-6, atol=1e-9) for k in grads), hint


def test_manifest_names_the_numpy_dtype():
    assert GoldenStore(SPEC.reference_dir / "golden").manifest()["dtypes"] == ["float64"]
