"""graders.core.compare.expect_tensor: failures that say what is wrong."""
from __future__ import annotations

import pytest
import torch

from graders.core.compare import Mismatch, close, expect_array, expect_number, expect_tensor, expect_true, preview

EXPECTED = torch.tensor([[0.1, 0.2, 0.7], [0.3, 0.3, 0.4]])


def mismatch(got, expected=EXPECTED, **kw) -> Mismatch:
    with pytest.raises(Mismatch) as err:
        expect_tensor(got, expected, name="softmax(x)", **kw)
    return err.value


def test_matching_tensor_passes():
    expect_tensor(EXPECTED + 1e-7, EXPECTED, name="softmax(x)")


def test_list_instead_of_tensor_is_named():
    m = mismatch(EXPECTED.tolist())
    assert m.message == "softmax(x) returned a list; expected a torch.Tensor of shape (2, 3)"
    assert "return a torch.Tensor" in m.hint


def test_numpy_array_instead_of_tensor_is_named():
    m = mismatch(EXPECTED.numpy())
    assert m.message.startswith("softmax(x) returned a ndarray;")


def test_wrong_shape_is_named():
    m = mismatch(EXPECTED.T)
    assert m.message == "softmax(x) returned shape (3, 2); expected (2, 3)"
    assert "dimension" in m.hint


def test_wrong_dtype_is_named():
    m = mismatch(EXPECTED.double())
    assert m.message == "softmax(x) returned dtype torch.float64; expected torch.float32 (the input's dtype)"
    assert ".to(x.dtype)" in m.hint


def test_dtype_check_can_be_turned_off():
    expect_tensor(EXPECTED.double(), EXPECTED, name="softmax(x)", dtype=False)


def test_nan_output_is_reported_with_count_and_first_index():
    got = EXPECTED.clone()
    got[1, 2] = float("nan")
    got[0, 0] = float("nan")
    m = mismatch(got)
    assert m.message.startswith("softmax(x) returned nan in 2 of 6 entries (first at index [0, 0]: expected 0.1)")


def test_nan_where_nan_is_expected_passes():
    expected = torch.tensor([float("nan"), 1.0])
    expect_tensor(expected.clone(), expected, name="f(x)")


def test_worst_element_index_and_values_are_in_the_message():
    got = EXPECTED.clone()
    got[0, 1] += 0.01
    got[1, 2] += 0.5
    m = mismatch(got)
    first = m.message.splitlines()[0]
    assert first == ("softmax(x): worst element at index [1, 2]: expected 0.4, got 0.9 "
                     "(|diff| 0.5, tolerance atol=1e-05, rtol=0.0001)")
    assert "expected tensor of shape (2, 3) (float32) [0.1, 0.2, 0.7, 0.3, …]" in m.message
    assert "got      tensor of shape (2, 3) (float32) [0.1, 0.21, 0.7, 0.3, …]" in m.message


def test_scalar_mismatch_has_no_index():
    m = mismatch(torch.tensor(2.0), torch.tensor(1.0))
    assert m.message.splitlines()[0].startswith("softmax(x): worst element: expected 1, got 2 ")


def test_hint_comes_from_the_matching_known_wrong_output():
    no_shift = EXPECTED * 2
    m = mismatch(no_shift.clone(), wrong={"you forgot X": EXPECTED + 5, "you doubled it": no_shift},
                 hint="default hint")
    assert m.hint == "you doubled it"


def test_default_hint_when_no_known_wrong_output_matches():
    m = mismatch(EXPECTED * 3, wrong={"you doubled it": EXPECTED * 2}, hint="default hint")
    assert m.hint == "default hint"


def test_no_hint_at_all_is_empty():
    assert mismatch(EXPECTED * 3).hint == ""


def test_mismatch_is_an_assertion_error_with_the_message():
    m = mismatch([1])
    assert isinstance(m, AssertionError) and str(m) == m.message


def test_close_requires_equal_shapes_and_accepts_equal_infinities():
    assert not close(torch.zeros(2), torch.zeros(3), 1e-5, 1e-4)
    inf = torch.tensor([float("inf"), -float("inf")])
    assert close(inf, inf.clone(), 1e-5, 1e-4)


def test_preview_shows_shape_dtype_and_first_numbers():
    assert preview(torch.arange(3, dtype=torch.int64)) == "tensor of shape (3,) (int64) [0, 1, 2]"


def test_expect_true_raises_with_message_and_hint():
    expect_true(True, "never shown")
    with pytest.raises(Mismatch) as err:
        expect_true(False, "mean should be 0", "subtract the mean")
    assert (err.value.message, err.value.hint) == ("mean should be 0", "subtract the mean")


# --- numpy results (hw02): expect_array and expect_number

def _array_mismatch(got, expected, **kw) -> Mismatch:
    import numpy as np

    with pytest.raises(Mismatch) as err:
        expect_array(got, np.asarray(expected), name="backward(...)['W2']", **kw)
    return err.value


def test_matching_array_of_any_float_dtype_passes():
    import numpy as np

    expect_array(np.array([[0.5, 0.25]], dtype=np.float32), np.array([[0.5, 0.25]]), name="a2")


def test_tensor_instead_of_array_is_named():
    m = _array_mismatch(torch.ones(2, 2), [[1.0, 1.0], [1.0, 1.0]])
    assert m.message == "backward(...)['W2'] returned a Tensor; expected a numpy.ndarray of shape (2, 2)"
    assert "numpy array" in m.hint


def test_transposed_shape_gets_a_transposed_hint():
    import numpy as np

    m = _array_mismatch(np.zeros((3, 2)), np.zeros((2, 3)))
    assert m.message == "backward(...)['W2'] returned shape (3, 2); expected (2, 3)"
    assert m.hint.startswith("the result looks transposed")


def test_array_mismatch_reads_as_an_array_and_names_the_mistake():
    import numpy as np

    expected = np.array([[1.0, 2.0], [3.0, 4.0]])
    m = _array_mismatch(expected.T.copy(), expected, wrong={"transposed!": expected.T})
    assert m.message.startswith("backward(...)['W2']: worst element at index [0, 1]: expected 2, got 3")
    assert "expected array of shape (2, 2) (float64)" in m.message and "tensor" not in m.message
    assert m.hint == "transposed!"


def test_array_mismatch_reads_as_an_array_in_chinese_too():
    """expect_array previews "array of shape", in every language."""
    import numpy as np

    from graders.i18n import render

    expected = np.array([[1.0, 2.0], [3.0, 4.0]])
    m = _array_mismatch(expected.T.copy(), expected)
    zh = render(m.message, "zh")
    assert "期望：数组，形状为 (2, 2)（float64）[1, 2, 3, 4]" in zh
    assert "得到：数组，形状为 (2, 2)（float64）[1, 3, 2, 4]" in zh
    assert "张量" not in zh and "array of shape (2, 2)" in m.message


def test_string_array_is_refused():
    import numpy as np

    m = _array_mismatch(np.array(["a", "b"]), [1.0, 2.0])
    assert "dtype <U1" in m.message


def test_number_from_numpy_and_one_element_array():
    import numpy as np

    expect_number(np.float64(0.2984).item(), 0.2984, name="loss")
    expect_number(np.array([0.2984]), 0.2984, name="loss")


def test_number_mismatch_names_the_known_mistake():
    with pytest.raises(Mismatch) as err:
        expect_number(0.5968, 0.2984, name="mse_loss(a2, t)", wrong={"the 1/2 is missing": 0.5968})
    assert err.value.message == "mse_loss(a2, t): expected 0.2984, got 0.5968 (|diff| 0.2984)"
    assert err.value.hint == "the 1/2 is missing"


@pytest.mark.parametrize("got", ["0.3", None, True, [0.3]])
def test_non_number_is_named(got):
    with pytest.raises(Mismatch) as err:
        expect_number(got, 0.3, name="loss")
    assert err.value.message.startswith(f"loss returned a {type(got).__name__}; expected a number")
