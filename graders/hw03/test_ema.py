"""Hidden suite, part ema (10 points)."""
import torch

from graders.core.compare import expect_raises, expect_tensor
from graders.hw03 import wrong
from graders.i18n import N_, _

FIRST_STEP_HINT = N_("the course's EMA starts from the first value: S_1 = Y_1 (not from S_0 = 0)")
SWAP_HINT = N_("beta weighs the previous average: S_t = beta * S_{t-1} + (1 - beta) * Y_t")
RANGE_HINT = N_("raise ValueError when beta is outside [0, 1)")


def _check(student, golden, name, func):
    case = golden[name]
    values = case.args[0]
    beta = case.kwargs.get("beta", 0.9)
    got = getattr(student.ema, func)(*case.args, **case.kwargs)
    wrongs = {_(SWAP_HINT): wrong.ema_swapped_beta(values, beta)}
    if func == "ema":
        wrongs[_(FIRST_STEP_HINT)] = wrong.ema_from_zero(values, beta)
    else:
        wrongs[_("divide by (1 - beta**t) to correct the bias of V_0 = 0")] = wrong.ema_bias_not_corrected(values, beta)
    expect_tensor(got, case.output, name=f"{func}(values, beta={beta})", wrong=wrongs)


def test_ema_matches_reference(student, golden):
    _check(student, golden, "ema_default", "ema")


def test_ema_other_beta(student, golden):
    _check(student, golden, "ema_beta_half", "ema")


def test_bias_corrected_matches_reference(student, golden):
    _check(student, golden, "ema_bias_corrected", "ema_bias_corrected")


def test_bias_corrected_other_beta(student, golden):
    _check(student, golden, "ema_bias_corrected_beta", "ema_bias_corrected")


def test_integer_input_gives_float32(student):
    got = student.ema.ema(torch.tensor([1, 2, 3, 4]))
    expect_tensor(got, torch.tensor([1.0, 1.1, 1.29, 1.561]), name=_("ema(int64 tensor)"),
                  hint=_("convert an integer input to float32 before averaging"))


def test_keeps_float64(student):
    got = student.ema.ema_bias_corrected(torch.tensor([2.0, 4.0], dtype=torch.float64), beta=0.5)
    expect_tensor(got, torch.tensor([2.0, 10 / 3], dtype=torch.float64), name="ema_bias_corrected(float64)")


def test_empty_in_empty_out(student):
    for func in ("ema", "ema_bias_corrected"):
        expect_tensor(getattr(student.ema, func)(torch.empty(0)), torch.empty(0), name=_("{func}(empty)").format(func=func))


def test_beta_out_of_range_raises(student):
    for beta in (1.0, -0.1, 1.5):
        expect_raises(lambda: student.ema.ema(torch.ones(3), beta=beta), "ValueError", f"ema(x, beta={beta})",
                      _(RANGE_HINT))
        expect_raises(lambda: student.ema.ema_bias_corrected(torch.ones(3), beta=beta), "ValueError",
                      f"ema_bias_corrected(x, beta={beta})", _(RANGE_HINT))
