"""Hidden suite, part dropout (15 points): statistics and invariants, never a reference draw.

With n = 100,000 draws the kept fraction has standard deviation <= 0.0016; the
bounds below are 7 standard deviations wide, a false failure rate below 1e-11
(and still 20 times narrower than the gap to any misconception's rate).
"""
import math

import torch

from graders.core.compare import expect_raises, expect_tensor, expect_true
from graders.i18n import _

N = 100_000
P = 0.3


def _bound(p, n=N, sigmas=7.0):
    return sigmas * math.sqrt(p * (1 - p) / n)


def _ones(shape=(N,)):
    return torch.ones(shape)


MODULE = "torch.nn.modules.module.Module"


def _is_subclass(mro, qualified_name):
    """Whether the MRO names the worker reported include `qualified_name` (judged here, not in the worker)."""
    return isinstance(mro, list) and qualified_name in mro


def _unchanged(x_after, x):
    """The x that came back from the worker is the x sent (it was not modified in place)."""
    return isinstance(x_after, torch.Tensor) and x_after.shape == x.shape and torch.equal(x_after, x)


def _drops_like(y, x, p, sigmas=7.0):
    """y is inverted dropout of x itself: kept elements equal x / (1 - p), a kept fraction about 1 - p.

    x must have no zeros, so that the zeros of y are exactly its dropped elements."""
    if not isinstance(y, torch.Tensor) or y.shape != x.shape:
        return False
    kept = y != 0
    rate_ok = abs(kept.float().mean().item() - (1 - p)) < _bound(p, n=x.numel(), sigmas=sigmas)
    return rate_ok and torch.allclose(y[kept], x[kept] / (1 - p), rtol=1e-5, atol=1e-6)


def test_drop_rate_and_scale(student):
    out = student.harness.dropout_call(_ones(), P, label="dropout(x, p=0.3)")
    y = out["y"]
    kept = (y != 0).float().mean().item()
    expect_true(abs(kept - (1 - P)) < _bound(P),
                _("dropout(x, p=0.3) kept {kept} of the elements; expected about {expected}").format(
                    kept=f"{kept:.4f}", expected=f"{1 - P:.4f}"),
                _("p is the probability of DROPPING an element; keep each with probability 1 - p")
                if abs(kept - P) < _bound(P) else "")
    values = y[y != 0]
    scale = values.mean().item() if values.numel() else float("nan")
    hints = {round(1 - P, 4): _("kept elements are divided by (1 - p), not multiplied by it"),
             round(P, 4): _("kept elements are scaled by 1 / (1 - p), not by p")}
    expect_true(values.numel() > 0 and torch.allclose(values, torch.full_like(values, 1 / (1 - P)), rtol=1e-5),
                _("kept elements of dropout(ones, p=0.3) equal {scale}; expected 1 / (1 - p) = {expected}").format(
                    scale=f"{scale:.6g}", expected=f"{1 / (1 - P):.6g}"),
                hints.get(round(scale, 4), _("multiply the kept elements by 1 / (1 - p) so the expectation is unchanged")))


def test_expectation_unchanged(student):
    x = torch.linspace(0.5, 1.5, N)
    y = student.harness.dropout_call(x, P, label="dropout(x, p=0.3)")["y"]
    ratio = (y.double().sum() / x.double().sum()).item()
    expect_true(abs(ratio - 1) < 7 * math.sqrt(P / (1 - P) / N) * 1.2,
                _("mean of dropout(x) / mean of x = {ratio}; expected 1 (inverted dropout keeps the expectation)").format(
                    ratio=f"{ratio:.4f}"))


def test_masks_independent_across_batch(student):
    x = torch.ones(1000, 100)
    y = student.harness.dropout_call(x, P, label=_("dropout(x of shape (1000, 100))"))["y"]
    same = ((y[1:] != 0) == (y[:-1] != 0)).float().mean().item()
    expected = P * P + (1 - P) * (1 - P)
    expect_true(abs(same - expected) < _bound(expected, n=y[1:].numel()),
                _("consecutive rows share {same} of their mask; independent masks share about {expected}").format(
                    same=f"{same:.3f}", expected=f"{expected:.3f}"),
                _("draw one mask element per element of x (torch.rand(x.shape) or torch.rand_like(x)), not one per row"))


def test_eval_mode_is_identity(student):
    x = torch.randn(64, 10)
    out = student.harness.dropout_call(x, P, training=False, label="dropout(x, training=False)")
    expect_tensor(out["y"], x, name="dropout(x, p=0.3, training=False)",
                  hint=_("at evaluation time dropout returns x unchanged: no mask and no scaling"))
    module = student.harness.dropout_module(x, P, train=False, label="Dropout(0.3).eval()(x)")
    expect_tensor(module["y"], x, name=_("Dropout(0.3) in eval mode"),
                  hint=_("forward must use self.training: return x unchanged after model.eval()"))


def test_module_trains_like_function(student):
    out = student.harness.dropout_module(_ones(), P, train=True, label="Dropout(0.3)(x)")
    expect_true(_is_subclass(out["mro"], MODULE), _("Dropout is not a torch.nn.Module"),
                _("declare class Dropout(torch.nn.Module)"))
    kept = (out["y"] != 0).float().mean().item()
    expect_true(abs(kept - (1 - P)) < _bound(P), _("Dropout(0.3) in train mode kept {kept}; expected about 0.7").format(kept=f"{kept:.4f}"))


def test_p_zero_and_one(student):
    x = torch.randn(1000)
    expect_tensor(student.harness.dropout_call(x, 0.0, label="dropout(x, p=0)")["y"], x, name="dropout(x, p=0)")
    y = student.harness.dropout_call(x, 1.0, label="dropout(x, p=1)")["y"]
    expect_tensor(y, torch.zeros(1000), name="dropout(x, p=1)",
                  hint=_("with p = 1 every element is dropped: return zeros (avoid 0 * inf = nan from 1 / (1 - p))"))


def test_invalid_p_raises(student):
    for p in (-0.1, 1.5):
        expect_raises(lambda: student.dropout.dropout(torch.ones(3), p=p), "ValueError", f"dropout(x, p={p})",
                      _("raise ValueError when p is outside [0, 1]"))


def test_reproducible_with_manual_seed(student):
    a, b, c = student.harness.dropout_reproducible(torch.ones(5000), P, label=_("dropout after torch.manual_seed"))
    expect_true(torch.equal(a, b), _("two calls after torch.manual_seed(7) gave different masks"),
                _("draw the mask with torch's generator (torch.rand / torch.bernoulli), not numpy or random"))
    expect_true(not torch.equal(a, c), _("different seeds gave the same mask"))


def test_not_in_place_and_gradient(student):
    x = torch.rand(10000) + 0.5  # no zeros: a zero in an output is a dropped element
    out = student.harness.dropout_calls(x, P, [0, 1], label="dropout(x, p=0.3)")
    # The x that comes back is the worker's word; the second output, drawn from the same x
    # with another mask, shows an in-place change by behaviour as well.
    in_place = not _unchanged(out["x_after"], x) or not all(_drops_like(y, x, P) for y in out["outputs"])
    expect_true(not in_place, _("dropout modified its input x in place"), _("return a new tensor: x * mask / (1 - p)"))
    g = student.harness.dropout_grad(x, P, label="dropout(x).sum().backward()")
    y, grad = g["y"], g["grad"]
    expected = (y != 0).float() / (1 - P)
    expect_tensor(grad, expected, name=_("gradient of dropout(x).sum() w.r.t. x"),
                  hint=_("the gradient must flow as mask / (1 - p): build y from x with differentiable ops"))
