"""Hidden suite, part init: each initialiser checked statistically, never against a reference draw.

The worker draws with a fixed seed (so a test never flakes for a given submission);
the bounds hold for any seed too: with 240,000 draws the sample mean, variance and
tail fraction each sit within 7 standard deviations of the contract's value with
probability above 1 - 1e-11, and every misconception below is at least 10 % away.
"""
import math

import torch

from graders.core.compare import expect_true
from graders.i18n import N_, _

OUT, IN = 400, 600          # weight (out_features, in_features): fan_in 600, fan_out 400
N = OUT * IN
SIGMAS = 7.0
SEED = 2026

FAN_OUT_HINT = N_("fan_in is in_features = weight.shape[1]: a Linear weight is (out_features, in_features)")
STD_AS_BOUND_HINT = N_("for a uniform U(-a, a) the variance is a^2 / 3: use the bound a of the formula, not the std")
VAR_AS_STD_HINT = N_("N(0, s^2) takes the standard deviation s = sqrt(variance): take the square root")
BOUND_AS_STD_HINT = N_("sqrt(6 / (fan_in + fan_out)) is the uniform bound; the normal's std is "
                       "gain * sqrt(2 / (fan_in + fan_out))")
NO_GAIN_HINT = N_("Kaiming/He for ReLU uses the gain sqrt(2): variance 2 / fan_in, not 1 / fan_in")
NOT_NORMAL_HINT = N_("draw from a normal distribution (torch.randn or Tensor.normal_), not a uniform one")


def _draw(student, name, **kwargs):
    """The weight after init.NAME, checked to be filled in place and returned."""
    out = student.harness.init_call(name, (OUT, IN), SEED, kwargs, label=_("{name}(weight of shape {shape})").format(
        name=name, shape=(OUT, IN)))
    after, returned = out["after"], out["returned"]
    expect_true(isinstance(after, torch.Tensor) and after.shape == (OUT, IN) and not torch.isnan(after).any(),
                _("{name}(weight) left weight unfilled; it must fill it in place").format(name=name),
                _("fill the given tensor in place (weight.uniform_(...), weight.normal_(...) or weight.copy_(...) "
                  "under torch.no_grad()) instead of creating a new one"))
    expect_true(isinstance(returned, torch.Tensor) and returned.shape == after.shape and torch.equal(returned, after),
                _("{name}(weight) did not return the filled weight").format(name=name), _("return weight at the end"))
    return after.double()


def _variance_hint(var, wrong):
    """The hint of the known-wrong variance the sample variance is closest to (within 5 %), if any."""
    for value, hint in wrong.items():
        if abs(var / value - 1) < 0.05:
            return _(hint)
    return ""


def _check_moments(name, w, var, wrong, uniform_bound=None):
    mean, got = w.mean().item(), w.var().item()
    expect_true(abs(mean) < SIGMAS * math.sqrt(var / N),
                _("{name}: the mean of the weights is {mean}; expected 0").format(name=name, mean=f"{mean:.3g}"),
                _("the distribution is centred at 0: U(-a, a) or N(0, std^2)"))
    kurtosis_sd = math.sqrt((1.8 - 1) / N) if uniform_bound else math.sqrt(2 / N)
    expect_true(abs(got / var - 1) < SIGMAS * kurtosis_sd,
                _("{name}: the variance of the weights is {got}; expected {expected}").format(
                    name=name, got=f"{got:.4g}", expected=f"{var:.4g}"), _variance_hint(got, wrong))


def _check_uniform(name, w, bound, wrong):
    low, high = w.min().item(), w.max().item()
    expect_true(-bound <= low and high <= bound and high > bound * 0.999 and low < -bound * 0.999,
                _("{name}: the weights span [{low}, {high}]; expected U(-{bound}, {bound})").format(
                    name=name, low=f"{low:.4g}", high=f"{high:.4g}", bound=f"{bound:.4g}"),
                _variance_hint(w.var().item(), wrong) or _("draw uniformly in (-bound, bound)"))
    _check_moments(name, w, bound * bound / 3, wrong, uniform_bound=bound)


def _check_normal(name, w, std, wrong):
    _check_moments(name, w, std * std, wrong)
    beyond = (w.abs() > 2 * std).double().mean().item()
    p = math.erfc(2 / math.sqrt(2))  # P(|Z| > 2) = 0.0455
    expect_true(abs(beyond - p) < SIGMAS * math.sqrt(p * (1 - p) / N),
                _("{name}: {beyond} of the weights lie beyond 2 std; a normal distribution has {expected}").format(
                    name=name, beyond=f"{beyond:.4f}", expected=f"{p:.4f}"), _(NOT_NORMAL_HINT))


def test_uniform_fan_in(student):
    bound = 1 / math.sqrt(IN)
    _check_uniform("uniform_fan_in", _draw(student, "uniform_fan_in"), bound, {1 / (3 * OUT): FAN_OUT_HINT})


def test_xavier_uniform(student):
    bound = math.sqrt(6 / (IN + OUT))
    _check_uniform("xavier_uniform", _draw(student, "xavier_uniform"), bound,
                   {2 / (IN + OUT) / 3: STD_AS_BOUND_HINT})


def test_xavier_uniform_gain(student):
    gain = 5 / 3  # tanh's gain
    bound = gain * math.sqrt(6 / (IN + OUT))
    _check_uniform("xavier_uniform(gain=5/3)", _draw(student, "xavier_uniform", gain=gain), bound,
                   {(math.sqrt(6 / (IN + OUT))) ** 2 / 3: N_("multiply the bound by gain")})


def test_xavier_normal(student):
    std = math.sqrt(2 / (IN + OUT))
    _check_normal("xavier_normal", _draw(student, "xavier_normal"), std,
                  {6 / (IN + OUT): BOUND_AS_STD_HINT, (2 / (IN + OUT)) ** 2: VAR_AS_STD_HINT})


def test_xavier_normal_gain(student):
    std = 2.0 * math.sqrt(2 / (IN + OUT))
    _check_normal("xavier_normal(gain=2)", _draw(student, "xavier_normal", gain=2.0), std,
                  {2 / (IN + OUT): N_("multiply the standard deviation by gain")})


def test_kaiming_uniform(student):
    bound = math.sqrt(6 / IN)
    _check_uniform("kaiming_uniform", _draw(student, "kaiming_uniform"), bound,
                   {2 / OUT: FAN_OUT_HINT, 1 / IN: NO_GAIN_HINT})


def test_kaiming_normal(student):
    std = math.sqrt(2 / IN)
    _check_normal("kaiming_normal", _draw(student, "kaiming_normal"), std,
                  {2 / OUT: FAN_OUT_HINT, 1 / IN: NO_GAIN_HINT, (2 / IN) ** 2: VAR_AS_STD_HINT})
