"""Pure comparisons that explain themselves: observed vs expected -> a Mismatch with message and hint.

Hidden tests call these instead of bare asserts so that every failure says what
was expected, what came back (shape, a few numbers, the worst element), and —
when the output matches a known-wrong formula — which misconception it shows.
"""
from __future__ import annotations

from typing import Any, Mapping

import torch


class Mismatch(AssertionError):
    """A wrong answer: what a student reads (message), what to try (hint), and any partial credit."""

    def __init__(self, message: str, hint: str = "", fraction: float | None = None) -> None:
        super().__init__(message)
        self.message, self.hint, self.fraction = message, hint, fraction


def fmt(x: float) -> str:
    return f"{x:.6g}"


def preview(t: torch.Tensor, n: int = 4) -> str:
    """A short, readable rendering of a tensor: shape, dtype and its first numbers."""
    flat = t.detach().reshape(-1).float()
    nums = ", ".join(fmt(v) for v in flat[:n].tolist()) + (", …" if flat.numel() > n else "")
    return f"tensor of shape {tuple(t.shape)} ({str(t.dtype).removeprefix('torch.')}) [{nums}]"


def _require_tensor(got: Any, name: str, expected: torch.Tensor) -> torch.Tensor:
    if not isinstance(got, torch.Tensor):
        kind = type(got).__name__
        raise Mismatch(f"{name} returned a {kind}; expected a torch.Tensor of shape {tuple(expected.shape)}",
                       "return a torch.Tensor (not a list, numpy array or Python number)")
    if tuple(got.shape) != tuple(expected.shape):
        raise Mismatch(f"{name} returned shape {tuple(got.shape)}; expected {tuple(expected.shape)}",
                       "check which dimension you reduce over and that you keep the input's shape")
    return got


def _worst(got: torch.Tensor, expected: torch.Tensor) -> tuple[tuple[int, ...], float, float]:
    diff = (got.double() - expected.double()).abs()
    diff = torch.where(torch.isnan(diff), torch.full_like(diff, float("inf")), diff)
    flat = int(torch.argmax(diff.reshape(-1)))
    index = tuple(int(i) for i in torch.unravel_index(torch.tensor(flat), got.shape)) if got.dim() else ()
    return index, float(expected.reshape(-1)[flat]), float(got.reshape(-1)[flat])


def close(got: torch.Tensor, expected: torch.Tensor, atol: float, rtol: float) -> bool:
    """Element-wise closeness, with equal infinities and NaN where NaN is expected."""
    if tuple(got.shape) != tuple(expected.shape):
        return False
    return bool(torch.allclose(got.double().cpu(), expected.double().cpu(), atol=atol, rtol=rtol, equal_nan=True))


def matching_hint(got: torch.Tensor, wrong: Mapping[str, torch.Tensor], atol: float, rtol: float) -> str:
    """The hint of the first known-wrong formula whose output equals the student's."""
    for hint, value in wrong.items():
        if close(got, value, atol, rtol):
            return hint
    return ""


def expect_tensor(got: Any, expected: torch.Tensor, *, name: str, atol: float = 1e-5, rtol: float = 1e-4,
                  wrong: Mapping[str, torch.Tensor] | None = None, hint: str = "", dtype: bool = True) -> None:
    """Check a returned tensor against the expected one; raise Mismatch that names the difference."""
    got = _require_tensor(got, name, expected)
    if dtype and got.dtype != expected.dtype:
        raise Mismatch(f"{name} returned dtype {got.dtype}; expected {expected.dtype} (the input's dtype)",
                       "compute in the input's dtype, or cast the result back with .to(x.dtype)")
    if close(got, expected, atol, rtol):
        return
    nan = torch.isnan(got.float()) & ~torch.isnan(expected.float())
    index, want, have = _worst(got, expected)
    where = f" at index {list(index)}" if index else ""
    if nan.any():
        message = f"{name} returned nan in {int(nan.sum())} of {got.numel()} entries (first{where}: expected {fmt(want)})"
    else:
        message = f"{name}: worst element{where}: expected {fmt(want)}, got {fmt(have)} (|diff| {fmt(abs(want - have))}, tolerance atol={atol:g}, rtol={rtol:g})"
    message += f"\n  expected {preview(expected)}\n  got      {preview(got)}"
    raise Mismatch(message, matching_hint(got, wrong or {}, max(atol, 1e-6), max(rtol, 1e-5)) or hint)


def expect_true(condition: bool, message: str, hint: str = "") -> None:
    """A property check (an invariant, a statistic) with a readable failure."""
    if not condition:
        raise Mismatch(message, hint)


def expect_raises(call: Any, exception: str, name: str, hint: str = "") -> None:
    """The student's function must raise the named exception type."""
    from graders.core.session import StudentError

    try:
        call()
    except StudentError as exc:
        if exc.info.get("exception") == exception:
            return
        raise Mismatch(f"{name} raised {exc.info.get('exception')}; expected {exception}", hint) from exc
    raise Mismatch(f"{name} returned normally; expected it to raise {exception}", hint)
