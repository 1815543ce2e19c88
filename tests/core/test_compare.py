"""graders.core.compare.expect_tensor: failures that say what is wrong."""
from __future__ import annotations

import pytest
import torch

from graders.core.compare import Mismatch, close, expect_tensor, expect_true, preview

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
