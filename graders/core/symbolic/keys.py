"""hw03 answer keys (to be moved to the hidden suite; the checker only needs Key)."""
from __future__ import annotations

from .key import Key


SOFTMAX_JACOBIAN = Key(
    name="softmax_jacobian",
    expr_latex=r"y_i(\delta_{ij} - y_j)",
    quantity_latex=r"\frac{\partial y_i}{\partial x_j}",
    hints=(
        (r"y_i \delta_{ij}", "the -y_i y_j term is missing: the denominator \\sum_k e^{x_k} also depends on x_j"),
        (r"y_i(1 - y_j)", "y_i(1 - y_j) holds only for i = j; for i != j the derivative is -y_i y_j (use \\delta_{ij})"),
        (r"y_i(1 - y_i)", "y_i(1 - y_i) is only the diagonal i = j; for i != j the derivative is -y_i y_j"),
        (r"-y_i(\delta_{ij} - y_j)", "sign error: check the sign of the quotient rule terms"),
    ),
)

SOFTMAX_BACKWARD = Key(
    name="softmax_backward",
    expr_latex=r"y_j\left(g_j - \sum_i g_i y_i\right)",
    quantity_latex=r"\frac{\partial L}{\partial x_j}",
    hints=(
        (r"y_j(\sum_i g_i y_i - g_j)", "sign error: the result is y_j (g_j - \\sum_i g_i y_i)"),
        (r"y_j g_j", "the term -y_j \\sum_i g_i y_i is missing: every y_i depends on x_j"),
        (r"g_j y_j (1 - y_j)", "only the diagonal of the Jacobian was used; sum over all i of g_i dy_i/dx_j"),
        (r"g_j - \sum_i g_i y_i", "the factor y_j is missing"),
    ),
)

CROSS_ENTROPY_SOFTMAX = Key(
    name="cross_entropy_softmax",
    expr_latex=r"y_j - t_j",
    quantity_latex=r"\frac{\partial L}{\partial x_j}",
    hints=(
        (r"-\frac{t_j}{y_j}", "that is dL/dy_j; chain it through the softmax Jacobian to get dL/dx_j"),
        (r"y_j - 1", "y_j - 1 holds only for a one-hot target at j; for a distribution t the answer involves t_j"),
        (r"t_j - y_j", "sign error: the gradient is y_j - t_j"),
        (r"-t_j(1 - y_j)", "only the k = j term of the sum was kept; the other t_k also contribute through y_k"),
    ),
    definitions=(r"L = -\sum_k t_k \log y_k",),
)

HW03_KEYS: dict[str, Key] = {k.name: k for k in (SOFTMAX_JACOBIAN, SOFTMAX_BACKWARD, CROSS_ENTROPY_SOFTMAX)}


def hw03_keys() -> dict[str, Key]:
    """The three hw03 derivation keys by block name."""
    return dict(HW03_KEYS)
