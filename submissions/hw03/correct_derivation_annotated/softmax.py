"""hw03 reference — softmax, its backward pass, its Jacobian and the cross-entropy gradient.

Own implementation: none of these functions (nor the helpers they call) uses
torch.softmax, F.softmax, Tensor.softmax, log_softmax, torch.autograd or .backward().
"""

import torch

__all__ = ["softmax", "softmax_backward", "softmax_jacobian", "cross_entropy_grad"]

# float16 / bfloat16 lose too much precision in exp and sums: compute in float32.
_LOW_PRECISION = (torch.float16, torch.bfloat16)


def _work_dtype(t):
    """The dtype to compute in: float32 for half types, the input's own float dtype otherwise."""
    if t.dtype in _LOW_PRECISION:
        return torch.float32
    if t.is_floating_point():
        return t.dtype
    return torch.get_default_dtype()  # integer input: compute in the default float dtype


def _out_dtype(t):
    """The dtype to return: the input's float dtype, the default float dtype for integers."""
    return t.dtype if t.is_floating_point() else torch.get_default_dtype()


def softmax(x, dim=-1):
    """y_i = exp(x_i) / sum_k exp(x_k) along `dim`, stable for |x| ~ 1e4.

    Subtracting the row maximum m leaves the result unchanged
    (exp(x_i - m) / sum_k exp(x_k - m) = exp(x_i) / sum_k exp(x_k)) but keeps every
    exponent <= 0, so exp never overflows. `-inf` entries become exp(-inf) = 0
    as long as the row has one finite entry; an empty tensor gives an empty tensor.
    """
    x = torch.as_tensor(x)
    if x.numel() == 0:
        return torch.empty_like(x, dtype=_out_dtype(x))
    z = x.to(_work_dtype(x))
    z = z - z.amax(dim=dim, keepdim=True)
    e = torch.exp(z)
    return (e / e.sum(dim=dim, keepdim=True)).to(_out_dtype(x))


def softmax_backward(y, grad_output, dim=-1):
    """dL/dx = y * (g - sum_i g_i y_i) along `dim`, with y = softmax(x) and g = dL/dy.

    This is the vector-Jacobian product g^T J with J_ij = y_i (delta_ij - y_j),
    computed without building J.
    """
    y = torch.as_tensor(y)
    g = torch.as_tensor(grad_output)
    work = _work_dtype(y)
    y32, g32 = y.to(work), g.to(work)
    dx = y32 * (g32 - (g32 * y32).sum(dim=dim, keepdim=True))
    return dx.to(_out_dtype(y))


def softmax_jacobian(x):
    """J[i, j] = dy_i/dx_j = y_i (delta_ij - y_j) for y = softmax(x), x of shape (n,).

    Written as J = diag(y) - y y^T. A batched input (..., n) gives (..., n, n).
    """
    x = torch.as_tensor(x)
    if x.dim() == 0:
        raise ValueError("softmax_jacobian expects a 1-D tensor of shape (n,), got a scalar")
    y = softmax(x, dim=-1)
    return torch.diag_embed(y) - y.unsqueeze(-1) * y.unsqueeze(-2)


def cross_entropy_grad(logits, target):
    """Gradient of the MEAN cross-entropy (as nn.CrossEntropyLoss()) w.r.t. logits.

    logits (N, C), target (N,) int64 class indices:
    dL/dlogits = (softmax(logits) - onehot(target)) / N.
    """
    logits = torch.as_tensor(logits)
    target = torch.as_tensor(target, device=logits.device).long()
    if logits.dim() != 2:
        raise ValueError(f"logits must have shape (N, C), got {tuple(logits.shape)}")
    n, c = logits.shape
    y = softmax(logits, dim=1)
    onehot = torch.zeros_like(y)
    onehot[torch.arange(n, device=y.device), target] = 1
    return (y - onehot) / n
