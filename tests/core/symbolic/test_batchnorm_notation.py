"""Batch-normalisation notation (hw05): \\hat{x}_i, \\mu_B, \\sigma_B^2, \\gamma, \\beta, \\epsilon and m."""
from __future__ import annotations

from pathlib import Path

import pytest
import sympy as sp

from graders.core.symbolic import ParseError, check_derivation, check_equivalent, load_keys, parse_math
from graders.core.symbolic.evaluate import Evaluator, Point
from graders.core.symbolic.notation import parameter_symbols

ROOT = Path(__file__).resolve().parents[3]
KEY = load_keys(ROOT / "graders" / "hw05" / "keys.toml")["batchnorm_input_grad"]
N = sp.Symbol("n", integer=True, positive=True)


@pytest.mark.parametrize("text, expected", [
    (r"\sigma_B^2", r"\sigma_B^2"), (r"\sigma_{B}^{2}", r"\sigma_B^2"), (r"\sigma^2_B", r"\sigma_B^2"),
    (r"\sigma_B", r"sqrt(\sigma_B^2)"), (r"\mu_B", r"\mu_B"), (r"\mu_{B}", r"\mu_B"), ("mu_B", r"\mu_B"),
    (r"\hat{x}_i", r"\hat{x}[i]"), (r"\hat x_i", r"\hat{x}[i]"), (r"\varepsilon", r"\epsilon"),
    ("eps", r"\epsilon"), ("σ_B^2 + μ_B", r"\mu_B + \sigma_B^2"), (r"\gamma\hat{x}_i + \beta", r"\beta + \gamma*\hat{x}[i]"),
])
def test_batchnorm_names_are_read(text, expected):
    assert sp.sstr(parse_math(text)) == expected


@pytest.mark.parametrize("text", [r"\sigma(z)", "sigma(z)", "σ(z)"])
def test_sigma_without_subscript_b_is_still_the_sigmoid(text):
    assert parse_math(text) == 1 / (1 + sp.exp(-sp.Symbol("z")))


def test_m_is_the_batch_size_where_it_is_no_index():
    assert parse_math(r"\frac{1}{m}\sum_{j=1}^{m} x_j") == parse_math(r"\frac{1}{n}\sum_{j=1}^{n} x_j")
    assert parse_math(r"\sum_{m=1}^{n} e^{x_m}").limits[0][0] == sp.Symbol("m", integer=True)
    assert N not in parse_math(r"y_m g_m").free_symbols


def test_hat_takes_one_letter():
    with pytest.raises(ParseError, match="takes one letter"):
        parse_math(r"\hat{xy}_i")


def test_epsilon_is_drawn_positive_and_points_stay_as_drawn():
    import random
    p = Point.draw(3, random.Random(0))
    assert p.x == Point.draw(3, random.Random(0)).x  # the parameters come from their own generator
    values = Evaluator(p).params
    eps = next(s for s in parameter_symbols() if s.name == r"\epsilon")
    assert set(values) == set(parameter_symbols()) and values[eps] > 0


@pytest.mark.parametrize("answer", [
    KEY.expr_latex,
    r"\frac{\partial L}{\partial x_i} = \frac{\gamma}{\sqrt{\sigma_B^2+\epsilon}}\left(g_i - \frac{1}{m}\sum_j g_j"
    r" - \frac{\hat{x}_i}{m}\sum_j g_j \hat{x}_j\right)",
    r"\frac{\gamma}{\sqrt{\sigma_B^2+\varepsilon}}\left(g_i - \frac{1}{m}\sum_j g_j - \frac{x_i - \mu_B}{m(\sigma_B^2+\varepsilon)}"
    r"\sum_j g_j (x_j - \mu_B)\right)",
])
def test_equivalent_batchnorm_answers(answer):
    assert check_equivalent(answer, KEY).ok


@pytest.mark.parametrize("answer, hint", [
    (r"\frac{\gamma}{m\sqrt{\sigma_B^2+\epsilon}}(m g_i - \hat{x}_i\sum_j g_j\hat{x}_j)", "path through the mean"),
    (r"\frac{\gamma}{m\sqrt{\sigma_B^2+\epsilon}}(m g_i - \sum_j g_j)", "path through the variance"),
    (r"\frac{\gamma}{\sqrt{\sigma_B^2+\epsilon}}(g_i - \frac{1}{m}\sum_j g_j - \frac{\hat{x}_i}{m-1}\sum_j g_j\hat{x}_j)",
     "biased batch variance"),
    (r"\frac{\gamma}{m(\sigma_B+\epsilon)}(m g_i - \sum_j g_j - \hat{x}_i\sum_j g_j\hat{x}_j)", "inside the square root"),
])
def test_known_wrong_batchnorm_answers_get_their_hint(answer, hint):
    verdict = check_equivalent(answer, KEY)
    assert verdict.status == "not_equivalent" and hint in verdict.hint


def test_reference_chain_is_valid_and_shows_every_milestone():
    from graders.core.symbolic import extract_blocks
    text = (ROOT / "reference" / "hw05" / "derivation.md").read_text(encoding="utf-8")
    block = next(b for b in extract_blocks(text) if b.kind == "derivation")
    verdict = check_derivation(block.text, KEY)
    assert verdict.status == "valid", verdict.message
    assert verdict.detail["milestones"]["missing"] == []


def test_chain_without_the_mean_path_names_its_step_and_misses_the_milestone():
    chain = "\n".join([
        r"\frac{\partial L}{\partial \hat{x}_i} = g_i\gamma",
        r"\frac{\partial L}{\partial x_i} = \frac{\partial L}{\partial \hat{x}_i}\frac{1}{\sqrt{\sigma_B^2+\epsilon}}"
        r" + \frac{\partial L}{\partial \sigma_B^2}\frac{2(x_i - \mu_B)}{m}",
    ])
    verdict = check_derivation(chain, KEY)
    assert verdict.status == "invalid" and verdict.first_invalid_step == 2
    assert "grad_mean" in verdict.detail["milestones"]["missing"]


def test_defined_vector_entry_is_perturbed_alone():
    """dL/d\\hat{x}_j holds \\mu_B and \\sigma_B^2 fixed: it is g_j \\gamma, not the total derivative."""
    chain = r"\frac{\partial L}{\partial \hat{x}_i} = \gamma g_i" + "\n" + r"\frac{\partial L}{\partial \mu_B} = -\frac{\gamma}{\sqrt{\sigma_B^2+\epsilon}}\sum_j g_j"
    verdict = check_derivation(chain, KEY)
    assert all(r.ok for r in verdict.results), verdict.message
