"""Annotations are commentary: set apart from the mathematics, kept for display."""
import pytest

from graders.core.symbolic.annotations import is_prose, split_commentary


@pytest.mark.parametrize("line,math,note", [
    (r"= y_i\delta_{ij} - y_i y_j \quad \text{（代入 } y_i \text{）}", r"= y_i\delta_{ij} - y_i y_j",
     r"\text{（代入 } y_i \text{）}"),
    (r"= \frac{a}{b} \qquad \text{(quotient rule)}", r"= \frac{a}{b}", r"\text{(quotient rule)}"),
    (r"= \frac{a}{b} \mbox{by the quotient rule}", r"= \frac{a}{b}", r"\mbox{by the quotient rule}"),
    (r"= y_i\delta_{ij} - y_i y_j （由商的求导法则）", r"= y_i\delta_{ij} - y_i y_j", "（由商的求导法则）"),
    (r"= y_i(\delta_{ij} - y_j) \tag{3}", r"= y_i(\delta_{ij} - y_j)", r"\tag{3}"),
    (r"= y_i(\delta_{ij} - y_j) % factor out y_i", r"= y_i(\delta_{ij} - y_j)", "factor out y_i"),
    (r"= y_i(\delta_{ij} - y_j) (by the quotient rule).", r"= y_i(\delta_{ij} - y_j)", "(by the quotient rule)"),
    (r"所以 \frac{\partial y_i}{\partial x_j} = y_i", r"\frac{\partial y_i}{\partial x_j} = y_i", "所以"),
    (r"Let S = \sum_k e^{x_k}", r"S = \sum_k e^{x_k}", "Let"),
])
def test_notes_are_set_apart(line, math, note):
    assert split_commentary(line).math == math
    assert split_commentary(line).commentary == note


@pytest.mark.parametrize("line", [r"\because \frac{\partial}{\partial x_j} e^{x_i} = e^{x_i}\delta_{ij}",
                                  r"\therefore y_i = 1", "We differentiate.", "由商的求导法则："])
def test_reason_and_prose_lines_are_all_commentary(line):
    assert split_commentary(line).math == ""


@pytest.mark.parametrize("line", [
    r"\begin{cases} y_i(1-y_i) & \text{if } i = j \\ -y_i y_j & \text{otherwise} \end{cases}",
    r"= \sigma(z_2)(1 - \sigma(z_2))", r"= y_i*(delta_ij - y_j)", r"= \mathbb{1}[i=j] y_i - y_i y_j",
    r"= y_i\left(\delta_{ij} - y_j\right)", "= eval(1)",
])
def test_mathematics_is_left_alone(line):
    assert split_commentary(line).math == line and split_commentary(line).commentary == ""


def test_prose_is_words_not_symbols():
    assert is_prose("quotient rule") and is_prose("代入") and not is_prose(r"\sum_k e^{x_k} \log y_k")
