"""hw03 — softmax, its backward pass, its Jacobian and the cross-entropy gradient.

Rule: the code of these four functions (and of any helper they call) may not use
torch.softmax, F.softmax, Tensor.softmax, log_softmax, torch.autograd or
.backward(). Any other torch operation is fine. Demo code under
`if __name__ == "__main__":` may use them to check your results.
"""

import torch


def softmax(x, dim=-1):
    """Softmax along `dim`: y_i = exp(x_i) / sum_k exp(x_k).

    Must be numerically stable for |x| ~ 1e4 (no inf/NaN for logits like 1000),
    work for any float dtype (float16, bfloat16, float32, float64) and device,
    for batched input and along dim=0. `-inf` entries get probability 0 (as long
    as a row is not all -inf); an empty tensor gives an empty tensor.
    """
    raise NotImplementedError("softmax: return exp(x) / exp(x).sum(dim) computed stably")


def softmax_backward(y, grad_output, dim=-1):
    """Backward pass of the softmax along `dim`.

    y = softmax(x), grad_output = dL/dy. Returns
        dL/dx = y * (grad_output - (grad_output * y).sum(dim, keepdim=True))
    """
    raise NotImplementedError("softmax_backward: return dL/dx = y * (g - sum(g * y)) along dim")


def softmax_jacobian(x):
    """Jacobian of the softmax of a vector.

    x has shape (n,). Returns J of shape (n, n) with
        J[i, j] = dy_i/dx_j = y_i * (delta_ij - y_j),   y = softmax(x).
    """
    raise NotImplementedError("softmax_jacobian: return the (n, n) matrix J[i, j] = y_i (delta_ij - y_j)")


def cross_entropy_grad(logits, target):
    """Gradient of the MEAN cross-entropy loss (as nn.CrossEntropyLoss()) w.r.t. logits.

    logits has shape (N, C), target has shape (N,) with int64 class indices. Returns
        (softmax(logits) - onehot(target)) / N        of shape (N, C).
    """
    raise NotImplementedError("cross_entropy_grad: return (softmax(logits) - onehot(target)) / N")
