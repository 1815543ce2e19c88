"""δ notation (issue 15): \\delta, \\delta_2, \\delta^{(2)} name backprop's error term; two indices stay Kronecker."""
from pathlib import Path

import pytest
import sympy as sp

from graders.core.symbolic import ParseError, check_derivation, check_equivalent, load_keys, parse_equation, parse_math
from graders.core.symbolic.key import Key

ROOT = Path(__file__).resolve().parents[3]
HW02 = load_keys(ROOT / "graders" / "hw02" / "keys.toml")
OUTPUT_DELTA = HW02["output_delta"]
i, j = sp.Symbol("i", integer=True), sp.Symbol("j", integer=True)
DELTA = sp.Symbol("\\delta")
DELTA_2 = sp.IndexedBase("\\delta")[2]
DELTA_LAYER_2 = sp.Symbol("\\delta^{(2)}")


@pytest.mark.parametrize("text,expected", [
    (r"\delta", DELTA), ("delta", DELTA), ("δ", DELTA),
    (r"\delta_2", DELTA_2), (r"\delta_{2}", DELTA_2), ("delta_2", DELTA_2), ("δ_2", DELTA_2),
    (r"\delta^{(2)}", DELTA_LAYER_2), (r"\delta^{ ( 2 ) }", DELTA_LAYER_2), ("delta^{(2)}", DELTA_LAYER_2),
    ("δ^{(2)}", DELTA_LAYER_2),
    (r"(\delta)^2", DELTA ** 2), (r"\delta_2^2", DELTA_2 ** 2), ("delta**2", DELTA ** 2),
    (r"\delta_2 a_2", DELTA_2 * sp.IndexedBase("a")[2]),
])
def test_error_term_is_an_ordinary_symbol(text, expected):
    assert parse_math(text) == expected


@pytest.mark.parametrize("text", [r"\delta_{ij}", r"\delta_ij", r"\delta_{i,j}", r"\delta_{i j}", "delta_ij", "δ_ij",
                                  r"\delta _ij"])
def test_two_indices_stay_kronecker(text):
    assert parse_math(text) == sp.KroneckerDelta(i, j)


def test_kronecker_in_the_softmax_jacobian_is_unchanged():
    y = sp.IndexedBase("y")
    assert parse_math(r"y_i(\delta_{ij} - y_j)") == y[i] * (sp.KroneckerDelta(i, j) - y[j])


def test_three_indices_are_still_refused():
    with pytest.raises(ParseError, match="two indices"):
        parse_math(r"\delta_{ijk}")


@pytest.mark.parametrize("text", [r"\delta^2", r"\delta^{2}", "delta^2", "δ^2", r"\delta^(2)", r"2\delta^2 + 1"])
def test_ambiguous_superscript_is_refused_with_guidance(text):
    with pytest.raises(ParseError) as e:
        parse_math(text)
    assert "ambiguous" in e.value.message
    assert r"\delta^{(2)}" in e.value.message and r"(\delta)^2" in e.value.message


def test_delta_as_left_hand_side_of_an_equation():
    lhs, rhs = parse_equation(r"\delta = (a_2 - t) a_2 (1 - a_2)")
    assert lhs == DELTA and rhs.has(sp.IndexedBase("a")[2])


@pytest.mark.parametrize("lhs", [r"\delta", r"\delta_2", r"\delta_{2}", r"\delta^{(2)}", "delta", "δ_2"])
def test_answer_may_name_the_quantity_delta(lhs):
    assert check_equivalent(f"{lhs} = (a_2 - t) a_2 (1 - a_2)", OUTPUT_DELTA).ok


def test_wrong_answer_under_delta_gets_the_usual_hint():
    v = check_equivalent(r"\delta^{(2)} = a_2 - t", OUTPUT_DELTA)
    assert not v.ok and "sigmoid derivative is missing" in (v.hint or "")


@pytest.mark.parametrize("answer", [r"\delta", r"\frac{\partial L}{\partial z_2} = \delta_2", r"2\delta^{(2)} / 2"])
def test_answer_that_is_only_the_name_is_no_closed_form(answer):
    v = check_equivalent(answer, OUTPUT_DELTA)
    assert v.status == "not_equivalent" and "name for a derivative" in v.message


def test_delta_is_unknown_where_the_key_does_not_define_it():
    v = check_equivalent(r"\delta", HW02["sigmoid_grad"])
    assert v.status == "not_equivalent" and "unknown symbol" in v.message


CHAIN_DELTA_2 = r"""a_2 = \sigma(z_2)
L = \frac{1}{2}(a_2 - t)^2
\delta_2 = \frac{\partial L}{\partial a_2} \cdot \frac{\partial a_2}{\partial z_2}
= (a_2 - t) \frac{\partial a_2}{\partial z_2}
= (a_2 - t) \cdot a_2 (1 - a_2)"""

CHAIN_DELTA_ON_THE_RIGHT = r"""\frac{\partial L}{\partial z_2} = \delta^{(2)}
= \frac{\partial L}{\partial a_2} \frac{\partial a_2}{\partial z_2}
= (a_2 - t) \frac{\partial a_2}{\partial z_2}
= (a_2 - t) a_2 (1 - a_2)"""


@pytest.mark.parametrize("text", [CHAIN_DELTA_2, CHAIN_DELTA_ON_THE_RIGHT,
                                  CHAIN_DELTA_2.replace(r"\delta_2", r"\delta")])
def test_derivation_in_delta_notation_gets_full_marks(text):
    v = check_derivation(text, OUTPUT_DELTA)
    assert v.status == "valid" and v.fraction == 1.0, v.message
    assert not v.detail["milestones"]["missing"]


def test_restated_answer_under_delta_is_still_restated():
    v = check_derivation(r"\delta = (a_2 - t) a_2 (1 - a_2)", OUTPUT_DELTA)
    assert v.status == "missing_steps" and v.fraction <= 0.25


def test_chain_ending_in_delta_does_not_reach_the_answer():
    v = check_derivation(r"\frac{\partial L}{\partial z_2} = \frac{\partial L}{\partial a_2}"
                         r"\frac{\partial a_2}{\partial z_2}" "\n= \\delta", OUTPUT_DELTA)
    assert v.status == "incomplete" and v.fraction < 1.0 and "name for a derivative" in v.message


def test_wrong_step_after_delta_is_named():
    chain = "\\delta = \\frac{\\partial L}{\\partial a_2} \\frac{\\partial a_2}{\\partial z_2}\n= (a_2 - t)"
    v = check_derivation(chain, OUTPUT_DELTA)
    assert v.status == "invalid" and v.first_invalid_step == 2


def test_a_key_may_define_delta_declaratively():
    """No engine special case: any key naming its quantity \\delta gets the same reading."""
    key = Key(name="k", expr_latex="a - t", quantity_latex=r"\frac{\partial L}{\partial a}", variables=("a", "t"),
              definitions=(r"L = \frac{1}{2}(a - t)^2", r"\delta = \frac{\partial L}{\partial a}"))
    v = check_derivation("\\delta = \\frac{1}{2} \\cdot 2 (a - t)\n= a - t", key)
    assert v.status == "valid", v.message
