"""The hw03 public checks (exercises/hw03/tests) restated as plain Python for the anchor tools.

Same inputs, same expected values and tolerances as the public suite (expect_tensor: atol 1e-5,
rtol 1e-4, dtype checked unless said otherwise), so Otter-Grader and nbgrader do the same work as
`grade`: import torch, run the student's functions, compare values. Each check is the body of a
function of `ns`, the notebook's global namespace; the tool adapters wrap it in their own test form.
"""
from __future__ import annotations

from dataclasses import dataclass

PART_POINTS = {"softmax": 25.0, "ema": 10.0, "optimizers": 30.0, "dropout": 15.0}

_CLOSE = '''
def _close(got, want, name, dtype=True):
    assert isinstance(got, torch.Tensor), f"{name} returned {type(got).__name__}, not a tensor"
    assert got.shape == want.shape, f"{name} has shape {tuple(got.shape)}; expected {tuple(want.shape)}"
    assert not dtype or got.dtype == want.dtype, f"{name} returned dtype {got.dtype}; expected {want.dtype}"
    assert torch.allclose(got.to(want.dtype), want, atol=1e-5, rtol=1e-4), f"{name}: expected {want}, got {got}"
'''

ONE_STEP = {"Momentum": 1 - 0.01 * 2, "AdaGrad": 1 - 0.01 * 2 / (2 + 1e-6),
            "RMSProp": 1 - 0.01 * 2 / ((0.1 * 4) ** 0.5 + 1e-6), "Adam": 1 - 0.001 * 2 / (2 + 1e-8)}


@dataclass(frozen=True)
class Check:
    """One public check: its part, a test name, and the body of `def check(ns)` (4-space indented)."""

    part: str
    name: str
    body: str

    @property
    def points(self) -> float:
        """The part's points shared equally among its checks."""
        return PART_POINTS[self.part] / sum(c.part == self.part for c in CHECKS)

    def function(self, fname: str = "check", param: str = "ns") -> str:
        """The check as a standalone function `fname(param)` of the namespace, helpers included."""
        helper = "\n".join("    " + line for line in _CLOSE.strip().splitlines())
        alias = "" if param == "ns" else f"    ns = {param}\n"
        return f"def {fname}({param}):\n{alias}    import torch\n{helper}\n{self.body.rstrip()}\n"


def _optimizer(cls: str) -> Check:
    body = f"""
    p = torch.nn.Parameter(torch.ones(1))
    opt = ns["{cls}"]([p])
    p.grad = torch.full((1,), 2.0)
    opt.step()
    _close(p.detach(), torch.tensor([{ONE_STEP[cls]!r}]), "{cls}: p after one step", dtype=False)
"""
    return Check("optimizers", f"one_step_{cls}", body)


CHECKS: tuple[Check, ...] = (
    Check("softmax", "softmax_of_small_vector", """
    x = torch.tensor([1.0, 2.0, 3.0])
    _close(ns["softmax"](x), torch.tensor([0.09003057, 0.24472847, 0.66524096]), "softmax([1., 2., 3.])")
"""),
    Check("softmax", "softmax_rows_sum_to_one", """
    _close(ns["softmax"](torch.randn(4, 5)).sum(-1), torch.ones(4), "softmax(x).sum(-1)")
"""),
    Check("softmax", "softmax_backward_of_uniform", """
    y, g = torch.full((4,), 0.25), torch.tensor([1.0, 0.0, 0.0, 0.0])
    _close(ns["softmax_backward"](y, g), torch.tensor([0.1875, -0.0625, -0.0625, -0.0625]),
           "softmax_backward(uniform y, e_1)")
"""),
    Check("softmax", "jacobian_shape", """
    _close(ns["softmax_jacobian"](torch.zeros(3)), torch.eye(3) / 3 - 1 / 9, "softmax_jacobian(zeros(3))")
"""),
    Check("ema", "ema_first_values", """
    _close(ns["ema"](torch.tensor([1.0, 2.0, 3.0]), beta=0.5), torch.tensor([1.0, 1.5, 2.25]),
           "ema([1, 2, 3], beta=0.5)")
"""),
    Check("ema", "bias_corrected_first_value_is_the_value", """
    _close(ns["ema_bias_corrected"](torch.tensor([4.0, 4.0]), beta=0.9), torch.tensor([4.0, 4.0]),
           "ema_bias_corrected([4, 4])")
"""),
    *(_optimizer(cls) for cls in ONE_STEP),
    Check("dropout", "eval_mode_returns_input", """
    torch.manual_seed(0)
    x = torch.randn(5, 4)
    _close(ns["dropout"](x, 0.5, training=False), x, "dropout(x, training=False)")
"""),
    Check("dropout", "kept_values_are_scaled", """
    torch.manual_seed(0)
    y = ns["dropout"](torch.ones(1000), 0.5)
    kept = y[y != 0]
    assert kept.numel() > 0 and torch.allclose(kept, torch.full_like(kept, 2.0)), \\
        "kept elements of dropout(ones, p=0.5) should equal 1 / (1 - p) = 2"
"""),
)
