"""Keys in declared scalar variables (hw02): \\sigma, tanh, f'(u), a = \\sigma(z), derivatives w.r.t. scalars."""
from pathlib import Path

import pytest
import sympy as sp

from graders.core.symbolic import Key, ParseError, check_derivation, check_equivalent, load_keys, parse_equation, parse_math

KEYS = load_keys(Path(__file__).resolve().parents[3] / "graders" / "hw02" / "keys.toml")
z, a, tt = sp.symbols("z a t")
a2, z2 = sp.IndexedBase("a")[2], sp.IndexedBase("z")[2]


def sig(u):
    return 1 / (1 + sp.exp(-u))


ROUND_TRIP = [
    (r"\sigma(z)(1 - \sigma(z))", sig(z) * (1 - sig(z))),
    (r"sigma(z)*(1 - sigma(z))", sig(z) * (1 - sig(z))),
    ("σ(z)(1 − σ(z))", sig(z) * (1 - sig(z))),
    (r"\operatorname{sigmoid}(z)", sig(z)),
    (r"a(1-a)", a * (1 - a)),
    (r"(a_2 - t) a_2 (1 - a_2)", (a2 - tt) * a2 * (1 - a2)),
    (r"\frac{1}{2}(a - t)^2", (a - tt) ** 2 / 2),
    (r"1 - \tanh(z)^2", 1 - sp.tanh(z) ** 2),
    (r"tanh(z_2)", sp.tanh(z2)),
    (r"\sigma'(z)", sp.Derivative(sig(z), z)),
    (r"\frac{\partial L}{\partial z_2}", sp.Derivative(sp.Symbol("L"), z2)),
]


@pytest.mark.parametrize("text,expected", ROUND_TRIP)
def test_round_trip(text, expected):
    got = parse_math(text)
    assert sp.srepr(got) == sp.srepr(expected) or sp.simplify(got - expected) == 0
    assert set(map(str, got.free_symbols)) == set(map(str, expected.free_symbols))  # nothing dropped


@pytest.mark.parametrize("text", [r"\sigma'(2z)", r"\sigma", r"a'(z)"])
def test_bad_sigma_notation_is_a_parse_error(text):
    with pytest.raises(ParseError):
        parse_equation(text)


EQUIVALENT = [
    ("sigmoid_grad", r"\sigma(z)(1-\sigma(z))"),
    ("sigmoid_grad", r"a(1-a)"),
    ("sigmoid_grad", r"a - a^2"),
    ("sigmoid_grad", r"\frac{\partial a}{\partial z} = a(1 - a)"),
    ("sigmoid_grad", r"\sigma'(z) = \sigma(z)(1-\sigma(z))"),
    ("sigmoid_grad", r"\frac{\partial}{\partial z}\sigma(z) = a(1-a)"),
    ("sigmoid_grad", r"\frac{e^{-z}}{(1+e^{-z})^2}"),
    ("sigmoid_grad", r"\frac{1}{1+e^{-z}} - \frac{1}{(1+e^{-z})^2}"),
    ("sigmoid_grad", "sigma(z)*(1 - sigma(z))"),
    ("mse_grad", "a - t"),
    ("mse_grad", r"\frac{\partial L}{\partial a} = -(t - a)"),
    ("output_delta", r"(a_2 - t) a_2 (1 - a_2)"),
    ("output_delta", r"\frac{\partial L}{\partial z_2} = (a_2 - t)\sigma(z_2)(1-\sigma(z_2))"),
    ("output_delta", r"(\sigma(z_2) - t)\sigma(z_2)(1-\sigma(z_2))"),
    ("output_delta", r"a_2^2 - a_2^3 - t a_2 + t a_2^2"),
]


@pytest.mark.parametrize("name,answer", EQUIVALENT)
def test_equivalent_scalar_notations(name, answer):
    v = check_equivalent(answer, KEYS[name])
    assert v.status == "equivalent", v.message


@pytest.mark.parametrize("name,answer,needle", [
    ("sigmoid_grad", r"1 - \sigma(z)^2", "derivative of tanh"),
    ("sigmoid_grad", r"\sigma(z)", "(1 - \\sigma(z)) is missing"),
    ("mse_grad", "2(a - t)", "1/2"),
    ("mse_grad", "t - a", "sign error"),
    ("output_delta", "a_2 - t", "sigmoid derivative is missing"),
    ("output_delta", "2(a_2 - t) a_2 (1 - a_2)", "factor 1/2"),
])
def test_misconception_hints(name, answer, needle):
    v = check_equivalent(answer, KEYS[name])
    assert v.status == "not_equivalent" and needle in (v.hint or "")


def test_difference_names_the_drawn_scalars_not_n():
    v = check_equivalent("2(a - t)", KEYS["mse_grad"])
    assert v.message.startswith("not equivalent (differs at a=") and ", t=" in v.message and "n=" not in v.message


def test_unknown_symbol_lists_the_question_names():
    v = check_equivalent("y(1 - y)", KEYS["sigmoid_grad"])
    assert v.message == "cannot evaluate the answer: unknown symbol 'y' (this question uses a, z)"


def test_wrong_quantity_on_the_left_is_rejected():
    v = check_equivalent(r"\frac{\partial L}{\partial t} = a - t", KEYS["mse_grad"])
    assert v.status == "not_equivalent" and "left-hand side" in v.message


def test_variables_must_be_scalar_names():
    with pytest.raises(ValueError, match="not a scalar name"):
        check_equivalent("z", Key("k", "z", "z", variables=("z_i",)))


CHAIN = r"""a_2 = \sigma(z_2)
L = \frac{1}{2}(a_2 - t)^2
\frac{\partial L}{\partial z_2} = \frac{\partial L}{\partial a_2} \frac{\partial a_2}{\partial z_2}
= (a_2 - t) \frac{\partial a_2}{\partial z_2}
= (a_2 - t) a_2 (1 - a_2)"""


def test_chain_rule_through_defined_scalars_is_valid():
    v = check_derivation(CHAIN, KEYS["output_delta"])
    assert v.status == "valid" and v.steps == 3


def test_chain_step_dropping_the_half_is_named():
    v = check_derivation(CHAIN.replace(r"= (a_2 - t) \frac", r"= 2(a_2 - t) \frac"), KEYS["output_delta"])
    assert v.status == "invalid" and v.first_invalid_step == 2
    assert v.message.startswith("step 2 (line 4) does not follow from step 1: differs at z_2=")


def test_redefining_a_given_variable_is_an_invalid_step():
    v = check_derivation("t = 0.5\n" + CHAIN, KEYS["output_delta"])
    assert v.status == "invalid" and "the problem's t" in v.message


def test_chain_ending_in_z_instead_of_a2_is_incomplete():
    text = CHAIN.rsplit("\n", 1)[0] + "\n" + r"= (\sigma(z_2) - t)\sigma(z_2)(1 - \sigma(z_2))"
    v = check_derivation(text, KEYS["output_delta"])
    assert v.status == "incomplete" and "uses z" in v.message
