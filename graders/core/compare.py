"""Pure comparisons that explain themselves: observed vs expected -> a Mismatch with message and hint.

Hidden tests call these instead of bare asserts so that every failure says what
was expected, what came back (shape, a few numbers, the worst element), and —
when the output matches a known-wrong formula — which misconception it shows.
"""
from __future__ import annotations

from typing import Any, Mapping

import torch

from graders.errors import Mismatch, StudentError
from graders.i18n import _


def fmt(x: float) -> str:
    return f"{x:.6g}"


def preview(t: torch.Tensor, n: int = 4, array: bool = False) -> str:
    """A short, readable rendering of a tensor (or of the numpy array it came from): shape, dtype, first numbers."""
    flat = t.detach().reshape(-1).float()
    nums = ", ".join(fmt(v) for v in flat[:n].tolist()) + (", …" if flat.numel() > n else "")
    text = _("array of shape {shape} ({dtype}) [{numbers}]") if array else \
        _("tensor of shape {shape} ({dtype}) [{numbers}]")
    return text.format(shape=tuple(t.shape), dtype=str(t.dtype).removeprefix("torch."), numbers=nums)


def _require_tensor(got: Any, name: str, expected: torch.Tensor) -> torch.Tensor:
    if not isinstance(got, torch.Tensor):
        kind = type(got).__name__
        raise Mismatch(_("{name} returned a {kind}; expected a torch.Tensor of shape {shape}").format(
            name=name, kind=kind, shape=tuple(expected.shape)),
            _("return a torch.Tensor (not a list, numpy array or Python number)"))
    if tuple(got.shape) != tuple(expected.shape):
        raise Mismatch(_("{name} returned shape {got}; expected {expected}").format(
            name=name, got=tuple(got.shape), expected=tuple(expected.shape)),
            _("check which dimension you reduce over and that you keep the input's shape"))
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
                  wrong: Mapping[str, torch.Tensor] | None = None, hint: str = "", dtype: bool = True,
                  array: bool = False) -> None:
    """Check a returned tensor against the expected one; raise Mismatch that names the difference.

    `array`: the student returned a numpy array (converted): the message says so."""
    got = _require_tensor(got, name, expected)
    if dtype and got.dtype != expected.dtype:
        raise Mismatch(_("{name} returned dtype {got}; expected {expected} (the input's dtype)").format(
            name=name, got=got.dtype, expected=expected.dtype),
            _("compute in the input's dtype, or cast the result back with .to(x.dtype)"))
    if close(got, expected, atol, rtol):
        return
    nan = torch.isnan(got.float()) & ~torch.isnan(expected.float())
    index, want, have = _worst(got, expected)
    where = _(" at index {index}").format(index=list(index)) if index else ""
    if nan.any():
        message = _("{name} returned nan in {count} of {total} entries (first{where}: expected {expected})").format(
            name=name, count=int(nan.sum()), total=got.numel(), where=where, expected=fmt(want))
    else:
        message = _("{name}: worst element{where}: expected {expected}, got {got} (|diff| {diff}, "
                    "tolerance atol={atol}, rtol={rtol})").format(
            name=name, where=where, expected=fmt(want), got=fmt(have), diff=fmt(abs(want - have)),
            atol=f"{atol:g}", rtol=f"{rtol:g}")
    message += "\n" + _("  expected {tensor}").format(tensor=preview(expected, array=array))
    message += "\n" + _("  got      {tensor}").format(tensor=preview(got, array=array))
    raise Mismatch(message, matching_hint(got, wrong or {}, max(atol, 1e-6), max(rtol, 1e-5)) or hint)


def expect_true(condition: bool, message: str, hint: str = "") -> None:
    """A property check (an invariant, a statistic) with a readable failure."""
    if not condition:
        raise Mismatch(message, hint)


def expect_raises(call: Any, exception: str, name: str, hint: str = "") -> None:
    """The student's function must raise the named exception type."""
    try:
        call()
    except StudentError as exc:
        if exc.info.get("exception") == exception:
            return
        raise Mismatch(_("{name} raised {got}; expected {expected}").format(
            name=name, got=exc.info.get("exception"), expected=exception), hint) from exc
    raise Mismatch(_("{name} returned normally; expected it to raise {expected}").format(
        name=name, expected=exception), hint)



def _require_array(got: Any, name: str, expected: Any) -> Any:
    import numpy as np

    shape = tuple(expected.shape)
    if not isinstance(got, np.ndarray):
        raise Mismatch(_("{name} returned a {type}; expected a numpy.ndarray of shape {shape}").format(
            name=name, type=type(got).__name__, shape=shape),
            _("return a numpy array (np.ndarray), not a torch tensor, a list or a Python number"))
    if got.dtype.kind not in "fiub":
        raise Mismatch(_("{name} returned an array of dtype {dtype}; expected numbers").format(name=name, dtype=got.dtype),
                       _("return a float array"))
    if got.shape != shape:
        turned = got.ndim == 2 and got.shape == shape[::-1]
        raise Mismatch(_("{name} returned shape {got}; expected {expected}").format(
            name=name, got=got.shape, expected=shape),
            _("the result looks transposed: {shape} is expected, its reverse came back").format(shape=shape)
            if turned else _("check which axes you multiply and sum over"))
    return got


def _double(a: Any) -> torch.Tensor:
    import numpy as np

    return torch.from_numpy(np.array(a, dtype=np.float64))


def expect_array(got: Any, expected: Any, *, name: str, atol: float = 1e-8, rtol: float = 1e-6,
                 wrong: Mapping[str, Any] | None = None, hint: str = "") -> None:
    """Check a returned numpy array (any float dtype) against the expected one, as expect_tensor does."""
    import numpy as np

    got = _require_array(got, name, expected)
    expect_tensor(_double(got), _double(expected), name=name, atol=atol, rtol=rtol, hint=hint, dtype=False,
                  wrong={h: _double(w) for h, w in (wrong or {}).items() if np.shape(w) == got.shape}, array=True)


def expect_number(got: Any, expected: float, *, name: str, atol: float = 1e-8, rtol: float = 1e-6,
                  wrong: Mapping[str, float] | None = None, hint: str = "") -> None:
    """Check a returned scalar (a Python or numpy number, or a one-element array)."""
    import numpy as np

    if isinstance(got, np.ndarray) and got.size == 1 and got.dtype.kind in "fiu":
        got = got.reshape(-1)[0].item()
    if isinstance(got, bool) or not isinstance(got, (int, float)):
        raise Mismatch(_("{name} returned a {type}; expected a number").format(name=name, type=type(got).__name__),
                       _("return a float"))
    if abs(got - expected) <= atol + rtol * abs(expected):
        return
    found = next((h for h, w in (wrong or {}).items() if abs(got - w) <= atol + rtol * abs(w)), "")
    raise Mismatch(_("{name}: expected {expected}, got {got} (|diff| {diff})").format(
        name=name, expected=fmt(expected), got=fmt(got), diff=fmt(abs(got - expected))), found or hint)
