from dataclasses import replace
from pathlib import Path
import time

import pytest

from graders.core.symbolic import check_derivation, extract_blocks, load_keys

# These tests pin the consistency checks, so the keys are taken without their milestones
# (what the milestones add is tested in test_milestones.py).
KEYS = {name: replace(key, milestones=(), consistency_weight=None)
        for name, key in load_keys(Path(__file__).resolve().parents[3] / "graders" / "hw03" / "keys.toml").items()}

JACOBIAN_CHAIN = [
    r"y_i = \frac{e^{x_i}}{\sum_k e^{x_k}}",
    r"\frac{\partial y_i}{\partial x_j} = \frac{\partial}{\partial x_j}\frac{e^{x_i}}{\sum_k e^{x_k}}",
    r"= \frac{e^{x_i}\delta_{ij}\sum_k e^{x_k} - e^{x_i}e^{x_j}}{(\sum_k e^{x_k})^2}",
    r"= y_i\delta_{ij} - y_i y_j",
    r"= y_i(\delta_{ij} - y_j)",
]


def test_valid_jacobian_chain_full_credit():
    v = check_derivation("\n".join(JACOBIAN_CHAIN), KEYS["softmax_jacobian"])
    assert v.status == "valid", v.message
    assert v.fraction == 1.0 and v.reaches_key
    assert v.steps == 4 and v.valid_prefix == 4
    assert v.first_invalid_step is None


def test_invalid_middle_step_partial_credit_names_step_and_line():
    lines = list(JACOBIAN_CHAIN)
    lines[3] = r"= y_i\delta_{ij} + y_i y_j"
    v = check_derivation("\n".join(lines), KEYS["softmax_jacobian"], first_line=20)
    assert v.status == "invalid"
    assert v.first_invalid_step == 3 and v.first_invalid_line == 23
    assert v.valid_prefix == 2
    assert 0 < v.fraction < 1.0 and v.fraction == pytest.approx(0.5)
    assert v.message.startswith("step 3 (line 23) does not follow from step 2: differs at n=")
    assert not v.reaches_key


@pytest.mark.parametrize("upto,needle", [(2, "derivative"), (3, "form asked for")])
def test_chain_stopping_before_key_is_not_full_credit(upto, needle):
    v = check_derivation("\n".join(JACOBIAN_CHAIN[:upto]), KEYS["softmax_jacobian"])
    assert v.status == "incomplete"
    assert v.valid_prefix == v.steps == upto - 1
    assert not v.reaches_key and v.fraction == 0.75
    assert needle in v.message


def test_chain_ending_at_wrong_answer():
    text = "\n".join(JACOBIAN_CHAIN[:2] + [r"= y_i y_j"])
    v = check_derivation(text, KEYS["softmax_jacobian"])
    assert v.status == "invalid" and v.first_invalid_step == 2 and v.fraction == 0.5


def test_wrong_first_step_from_lhs():
    text = "\n".join([r"\frac{\partial y_i}{\partial x_j} = \frac{\partial}{\partial x_j}\frac{e^{x_j}}{\sum_k e^{x_k}}",
                      r"= y_j(\delta_{ij} - y_i)"])
    v = check_derivation(text, KEYS["softmax_jacobian"])
    assert v.first_invalid_step == 1
    assert "does not follow from the left-hand side" in v.message
    assert v.fraction == 0.0


def test_inconsistent_definition_of_y_is_invalid():
    text = "\n".join([r"y_i = \frac{e^{x_i}}{\sum_k e^{2x_k}}"] + JACOBIAN_CHAIN[1:])
    v = check_derivation(text, KEYS["softmax_jacobian"])
    assert v.first_invalid_step == 1 and v.first_invalid_line == 1
    assert v.fraction < 1.0


def test_unparseable_line_reported():
    lines = list(JACOBIAN_CHAIN)
    lines[2] = r"= \frac{e^{x_i}\delta_{ij} - "
    v = check_derivation("\n".join(lines), KEYS["softmax_jacobian"], first_line=5)
    assert v.status == "unparseable"
    assert v.first_invalid_step == 2 and v.first_invalid_line == 7
    assert "cannot be read" in v.message and "column" in v.message


def test_cross_entropy_chain_with_definition_of_L():
    text = r"""L = -\sum_k t_k \log y_k
\frac{\partial L}{\partial x_j} = -\sum_k t_k \frac{1}{y_k}\frac{\partial y_k}{\partial x_j}
= -\sum_k t_k (\delta_{kj} - y_j)
= -t_j + y_j \sum_k t_k
= y_j - t_j"""
    v = check_derivation(text, KEYS["cross_entropy_softmax"])
    assert v.status == "valid", v.message
    assert v.steps == 4


def test_backward_chain_with_upstream_gradient():
    text = r"""\frac{\partial L}{\partial y_i} = g_i
\frac{\partial L}{\partial x_j} = \sum_i \frac{\partial L}{\partial y_i}\frac{\partial y_i}{\partial x_j}
= \sum_i g_i y_i (\delta_{ij} - y_j)
&= g_j y_j - y_j \sum_i g_i y_i \\
= y_j\left(g_j - \sum_i g_i y_i\right)"""
    v = check_derivation(text, KEYS["softmax_backward"])
    assert v.status == "valid", v.message
    assert v.steps == 5


def test_align_style_and_previous_equals_next():
    text = r"""\begin{aligned}
\frac{\partial y_i}{\partial x_j} &= \frac{\partial}{\partial x_j}\frac{e^{x_i}}{\sum_k e^{x_k}} \\
&= y_i\delta_{ij} - y_i y_j \\
y_i\delta_{ij} - y_i y_j &= y_i(\delta_{ij} - y_j)
\end{aligned}"""
    v = check_derivation(text, KEYS["softmax_jacobian"])
    assert v.status == "valid", v.message
    assert v.steps == 3


def test_continuation_without_start():
    v = check_derivation("= y_i", KEYS["softmax_jacobian"])
    assert v.first_invalid_step == 1 and "not started" in v.message


def test_block_line_numbers_flow_into_messages():
    md = "# Q1\n\n```derivation softmax_jacobian\n" + "\n".join(JACOBIAN_CHAIN[:3]) + "\n= y_i y_j\n```\n"
    (block,) = extract_blocks(md)
    v = check_derivation(block.text, KEYS["softmax_jacobian"], first_line=block.line)
    assert v.first_invalid_line == 7
    assert md.splitlines()[6] == "= y_i y_j"


def test_derivation_bounded_in_time():
    heavy = r"\sum_i\sum_j\sum_k\sum_l\sum_m\sum_p\sum_q\sum_r y_i y_j y_k y_l y_m y_p y_q y_r"
    text = "\n".join([r"\frac{\partial y_i}{\partial x_j} = " + heavy] + [f"= {heavy}"] * 20)
    start = time.monotonic()
    v = check_derivation(text, KEYS["softmax_jacobian"], time_limit_s=1.0)
    assert time.monotonic() - start < 3.0
    assert v.fraction < 1.0


def test_side_chain_after_main_chain_does_not_hide_answer():
    text = "\n".join(JACOBIAN_CHAIN + [r"\frac{\partial L}{\partial y_i} = g_i"])
    v = check_derivation(text, KEYS["softmax_jacobian"])
    assert v.status == "valid", v.message
    assert v.steps == 5


@pytest.mark.parametrize("line", ["= __import__('os').system('echo hi')", "= eval(1)", r"= 10^{10^{10}}",
                                  "= " + "(" * 500 + "y_i" + ")" * 500])
def test_malicious_derivation_line(line):
    start = time.monotonic()
    v = check_derivation("\n".join(JACOBIAN_CHAIN[:2] + [line]), KEYS["softmax_jacobian"])
    assert v.status == "unparseable" and v.first_invalid_step == 2
    assert time.monotonic() - start < 2.0


def test_cases_and_prose_lines_ignored():
    text = "We differentiate.\n" + "\n".join(JACOBIAN_CHAIN)
    v = check_derivation(text, KEYS["softmax_jacobian"])
    assert v.status == "valid" and v.detail["ignored_lines"] == [1]
