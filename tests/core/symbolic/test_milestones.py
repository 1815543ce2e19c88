"""Derivations graded as a careful TA would: milestones in the keys, step size, annotations."""
from dataclasses import replace
from pathlib import Path

import pytest

from graders.core.symbolic import check_derivation, load_keys
from graders.core.symbolic.key import KeyFileError, Milestone, key_from_table

ROOT = Path(__file__).resolve().parents[3]
HW03 = load_keys(ROOT / "graders" / "hw03" / "keys.toml")
HW02 = load_keys(ROOT / "graders" / "hw02" / "keys.toml")
JAC = HW03["softmax_jacobian"]
DEF = r"y_i = \frac{e^{x_i}}{\sum_k e^{x_k}}"
Q = r"\frac{\partial y_i}{\partial x_j}"
SETUP = Q + r" = \frac{\partial}{\partial x_j} \frac{e^{x_i}}{\sum_k e^{x_k}}"
QUOTIENT = r"= \frac{e^{x_i}\delta_{ij}\sum_k e^{x_k} - e^{x_i}e^{x_j}}{\left(\sum_k e^{x_k}\right)^2}"
REFERENCE = [DEF, SETUP, QUOTIENT, r"= y_i\delta_{ij} - y_i y_j", r"= y_i(\delta_{ij} - y_j)"]


def check(lines, key=JAC):
    return check_derivation("\n".join(lines), key)


def test_reference_chain_reaches_every_milestone():
    v = check(REFERENCE)
    assert v.status == "valid" and v.fraction == 1.0
    assert v.detail["milestones"]["reached"] == {"quotient_rule": 2, "back_in_y": 3}


def test_restated_answer_gets_at_most_a_quarter_and_names_the_quotient_rule():
    v = check([DEF, Q + r" = y_i(\delta_{ij} - y_j)"])
    assert v.status == "missing_steps" and v.reaches_key
    assert v.fraction <= 0.25
    assert v.message.startswith("the derivation only restates the answer") and "quotient rule" in v.message


def test_restated_answer_in_two_forms_is_still_restated():
    v = check([DEF, Q + r" = y_i\delta_{ij} - y_i y_j", r"= y_i(\delta_{ij} - y_j)"])
    assert v.detail["milestones"]["shape"] == "restated" and v.fraction <= 0.25


def test_one_jump_from_the_definition_is_too_large_a_step():
    v = check([DEF, SETUP, r"= y_i(\delta_{ij} - y_j)"])
    assert v.status == "missing_steps" and v.fraction <= 0.6
    assert v.message.startswith("step 2 (line 3) is too large a step") and "quotient rule" in v.message


@pytest.mark.parametrize("last", [
    r"= \begin{cases} y_i(1-y_i) & \text{if } i = j \\ -y_i y_j & \text{otherwise} \end{cases}",
    r"= \mathbb{1}[i=j] y_i - y_i y_j",
    r"= y_i(\delta_{ij} - y_j)",
])
def test_quotient_rule_in_another_notation_then_any_final_form(last):
    mid = r"= \frac{e^{x_i}\delta_{ij}}{\sum_k e^{x_k}} - \frac{e^{x_i}e^{x_j}}{(\sum_k e^{x_k})^2}"
    v = check([DEF, SETUP, mid, last])
    assert v.status == "valid" and v.fraction == 1.0, v.message


def test_annotated_chain_gets_full_credit():
    lines = [DEF + r" \quad （softmax 的定义）", "由商的求导法则：",
             SETUP + r" \qquad \text{(quotient rule)}", QUOTIENT + " （由商的求导法则）",
             r"= y_i\delta_{ij} - y_i y_j \quad \text{（代入 } y_i \text{）} \tag{1}",
             r"\because \delta_{ij} = 1 \text{ when } i = j", "% factor out y_i",
             r"= y_i(\delta_{ij} - y_j) \qquad (factor out y_i)"]
    v = check(lines)
    assert v.status == "valid" and v.fraction == 1.0, v.message
    assert (4, "（由商的求导法则）") in v.detail["commentary"]


def test_unreadable_prose_line_is_reported_not_failed():
    lines = REFERENCE[:3] + [r"Note that e^{x_i} / S is our y_i = what we defined ∎"] + REFERENCE[3:]
    v = check(lines)
    assert v.status == "valid" and v.fraction == 1.0, v.message
    assert v.notes and v.notes[0].startswith("line 4 was not read")


def test_invalid_step_keeps_its_message_and_earns_the_milestones_before_it():
    lines = list(REFERENCE)
    lines[3] = r"= y_i\delta_{ij} - y_j"
    v = check(lines)
    assert v.status == "invalid" and v.message.startswith("step 3 (line 4) does not follow")
    assert v.detail["milestones"]["reached"] == {"quotient_rule": 2}
    assert v.fraction == pytest.approx((4 * 0.5 + 3) / 8)


def test_key_without_milestones_grades_as_before():
    bare = replace(JAC, milestones=(), consistency_weight=None)
    assert check([DEF, Q + r" = y_i(\delta_{ij} - y_j)"], bare).fraction == 1.0
    lines = list(REFERENCE)
    lines[3] = r"= y_i\delta_{ij} - y_j"
    assert check(lines, bare).fraction == 0.5


def test_step_skipping_two_milestones_is_reported():
    mixed = Milestone("mixed", r"y_i\delta_{ij} - \frac{e^{x_i}e^{x_j}}{(\sum_k e^{x_k})^2}", 1, "substitute y_i")
    key = replace(JAC, milestones=(JAC.milestones[0], mixed, JAC.milestones[1]))
    v = check([DEF, SETUP, r"= y_i\delta_{ij} - y_i y_j", r"= y_i(\delta_{ij} - y_j)"], key)
    assert v.detail["milestones"]["large_steps"] == [[2, 3, 2]]
    assert v.fraction < 1.0


def test_cross_entropy_milestones():
    ok = [r"L = -\sum_k t_k \log y_k",
          r"\frac{\partial L}{\partial x_j} = \sum_k \frac{\partial L}{\partial y_k}\frac{\partial y_k}{\partial x_j}",
          r"= -\sum_k \frac{t_k}{y_k} y_k(\delta_{kj} - y_j)", r"= -t_j + y_j \sum_k t_k", r"= y_j - t_j"]
    v = check(ok, HW03["cross_entropy_softmax"])
    assert v.status == "valid" and v.fraction == 1.0, v.message
    jump = check(ok[:2] + ok[-1:], HW03["cross_entropy_softmax"])
    assert jump.fraction <= 0.6 and "too large a step" in jump.message


def test_hw02_output_delta_milestones():
    key = HW02["output_delta"]
    head = [r"a_2 = \sigma(z_2)", r"L = \frac{1}{2}(a_2 - t)^2"]
    chain = [r"\frac{\partial L}{\partial z_2} = \frac{\partial L}{\partial a_2} \frac{\partial a_2}{\partial z_2}",
             r"= (a_2 - t) \frac{\partial a_2}{\partial z_2}", r"= (a_2 - t) a_2 (1 - a_2)"]
    v = check(head + chain, key)
    assert v.status == "valid" and v.fraction == 1.0, v.message
    restated = check(head + [r"\frac{\partial L}{\partial z_2} = (a_2 - t) a_2 (1 - a_2)"], key)
    assert restated.fraction <= 0.25 and "chain rule" in restated.message


@pytest.mark.parametrize("table,needle", [
    ({"expr": "y", "quantity": "y", "milestone": []}, "unknown field(s) milestone"),
    ({"expr": "y", "quantity": "y", "milestones": [{"name": "a", "expr": "y", "hint": "h", "weight": -1}]},
     "'weight' must be a positive number"),
    ({"expr": "y", "quantity": "y", "milestones": [{"name": "a", "expr": "y"}]}, "'hint' must be a non-empty string"),
    ({"expr": "y", "quantity": "y", "milestones": [{"name": "a", "expr": "y", "hint": "h", "wieght": 1}]},
     "unknown field(s) wieght"),
])
def test_bad_key_tables_are_refused_clearly(table, needle):
    with pytest.raises(KeyFileError, match="k"):
        key_from_table("k", table)
    try:
        key_from_table("k", table)
    except KeyFileError as e:
        assert needle in str(e)


def test_loss_gradient_shown_as_a_factor_counts():
    text = [r"L = -\sum_k t_k \log y_k",
            r"\frac{\partial L}{\partial x_j} = -\sum_k t_k \frac{1}{y_k}\frac{\partial y_k}{\partial x_j}",
            r"= -\sum_k t_k (\delta_{kj} - y_j)", r"= -t_j + y_j \sum_k t_k", r"= y_j - t_j"]
    v = check(text, HW03["cross_entropy_softmax"])
    assert v.status == "valid" and v.fraction == 1.0, v.message


def test_unreadable_milestone_is_refused_at_load():
    table = {"expr": "y", "quantity": "y", "milestones": [{"name": "a", "expr": r"\frac{1}{", "hint": "h"}]}
    with pytest.raises(KeyFileError, match=r"k.milestones\[0\]: 'expr' cannot be read"):
        key_from_table("k", table)


def test_milestones_stay_within_the_time_limit():
    import time
    heavy = r"\sum_i\sum_j\sum_k\sum_l\sum_m\sum_p y_i y_j y_k y_l y_m y_p"
    text = "\n".join([Q + " = " + heavy] + [f"= {heavy}"] * 20)
    start = time.monotonic()
    v = check_derivation(text, JAC, time_limit_s=1.0)
    assert time.monotonic() - start < 3.0 and v.fraction < 1.0
