from pathlib import Path
import time

import pytest

from graders.core.symbolic import Key, check_equivalent, load_keys

from .cases import EQUIVALENT, WRONG

KEYS = load_keys(Path(__file__).resolve().parents[3] / "graders" / "hw03" / "keys.toml")


@pytest.mark.parametrize("name,answer", EQUIVALENT)
def test_equivalent_notations(name, answer):
    v = check_equivalent(answer, KEYS[name])
    assert v.status == "equivalent", v.message
    assert v.ok and v.hint is None


@pytest.mark.parametrize("name,answer", WRONG)
def test_wrong_answers_located(name, answer):
    v = check_equivalent(answer, KEYS[name])
    assert v.status == "not_equivalent"
    assert "differs at n=" in v.message
    assert "expected" in v.message and "got" in v.message


def test_message_format():
    v = check_equivalent(r"y_i(1-y_j)", KEYS["softmax_jacobian"])
    assert v.message.startswith("not equivalent (differs at n=2, i=1, j=2: expected ")
    assert set(v.detail["at"]) == {"i", "j"}


@pytest.mark.parametrize("name,answer,needle", [
    ("softmax_jacobian", r"y_i \delta_{ij}", "-y_i y_j term is missing"),
    ("softmax_jacobian", r"\frac{\partial y_i}{\partial x_j} = y_i\delta_{ij}", "-y_i y_j term is missing"),
    ("softmax_jacobian", r"y_i(1 - y_j)", "only for i = j"),
    ("softmax_jacobian", r"y_i - y_i^2", "diagonal"),
    ("softmax_jacobian", r"-y_i(\delta_{ij} - y_j)", "sign error"),
    ("softmax_jacobian", r"y_iy_j - y_i\delta_{ij}", "sign error"),
    ("softmax_backward", r"y_j(\sum_i g_i y_i - g_j)", "sign error"),
    ("softmax_backward", r"y_j g_j", "missing"),
    ("cross_entropy_softmax", r"-\frac{t_j}{y_j}", "dL/dy_j"),
    ("cross_entropy_softmax", r"y_j - 1", "one-hot"),
    ("cross_entropy_softmax", r"t_j - y_j", "sign error"),
])
def test_hints_for_classic_mistakes(name, answer, needle):
    v = check_equivalent(answer, KEYS[name])
    assert v.status == "not_equivalent"
    assert v.hint is not None and needle in v.hint
    assert "differs at" in v.message


def test_no_hint_for_unrecognised_mistake():
    assert check_equivalent(r"y_i + y_j", KEYS["softmax_jacobian"]).hint is None


def test_targets_sum_to_one_accepted():
    assert check_equivalent(r"y_j \sum_k t_k - t_j", KEYS["cross_entropy_softmax"]).ok


def test_key_as_plain_latex_and_custom_key():
    assert check_equivalent("y_i*(delta_ij - y_j)", r"y_i(\delta_{ij} - y_j)").ok
    key = Key("k", "2 x_i", r"\frac{\partial L}{\partial x_i}", hints=(("x_i", "factor 2"),))
    v = check_equivalent("x_i", key)
    assert v.hint == "factor 2"


def test_wrong_lhs_rejected():
    v = check_equivalent(r"\frac{\partial L}{\partial x_j} = y_i(\delta_{ij} - y_j)", KEYS["softmax_jacobian"])
    assert v.status == "not_equivalent" and "left-hand side" in v.message


def test_unbound_index_and_unknown_symbol():
    v = check_equivalent(r"y_j(g_j - g_k y_k)", KEYS["softmax_backward"])
    assert v.status == "not_equivalent" and "index k" in v.message
    v = check_equivalent(r"a y_i", KEYS["softmax_jacobian"])
    assert v.status == "not_equivalent" and "unknown symbol 'a'" in v.message


def test_answer_with_derivative_not_accepted():
    v = check_equivalent(r"\frac{\partial}{\partial x_j} y_i", KEYS["softmax_jacobian"])
    assert v.status == "not_equivalent" and "derivative" in v.message


def test_unparseable_reports_position():
    v = check_equivalent(r"y_i(\delta_{ij} - y_j", KEYS["softmax_jacobian"])
    assert v.status == "unparseable"
    assert "line 1, column 21" in v.message and v.detail["column"] == 21


@pytest.mark.parametrize("text", [
    "__import__('os').system('echo hi')", "eval(1)", "lambda x: x", "x.__class__",
    r"10^{10^{10}}", "(" * 500 + "y_i" + ")" * 500,
])
def test_malicious_answers_unparseable_fast(text):
    start = time.monotonic()
    v = check_equivalent(text, KEYS["softmax_jacobian"])
    assert v.status == "unparseable"
    assert time.monotonic() - start < 2.0


@pytest.mark.parametrize("text", [
    r"\sum_{k=1}^{10^{9}} y_k",
    r"\sum_a" if False else r"\sum_i\sum_j\sum_k\sum_l\sum_m\sum_p\sum_q\sum_r y_i y_j y_k y_l y_m y_p y_q y_r",
    r"x_i^{1000} e^{e^{e^{e^{x_i}}}}",
    r"\sqrt{-1} y_i",
    r"\log(y_i - y_i)",
])
def test_expensive_or_invalid_evaluation_bounded(text):
    start = time.monotonic()
    v = check_equivalent(text, KEYS["softmax_jacobian"], time_limit_s=1.0)
    assert v.status in ("not_equivalent", "timeout", "unparseable")
    assert time.monotonic() - start < 3.0


def test_deterministic_with_seed():
    a = check_equivalent("y_i y_j", KEYS["softmax_jacobian"], seed=7)
    b = check_equivalent("y_i y_j", KEYS["softmax_jacobian"], seed=7)
    assert a.message == b.message
