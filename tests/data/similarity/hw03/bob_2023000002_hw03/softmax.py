import torch


def softmax(x, dim=-1):
    # log-sum-exp trick so large logits do not overflow
    lse = torch.logsumexp(x, dim=dim, keepdim=True)
    return torch.exp(x - lse)


def softmax_backward(y, grad_output, dim=-1):
    # vector-Jacobian product without building J
    dot = torch.sum(y * grad_output, dim=dim, keepdim=True)
    return y * grad_output - y * dot


def softmax_jacobian(x):
    y = softmax(x)
    n = y.shape[0]
    J = torch.empty(n, n, dtype=y.dtype)
    for i in range(n):
        for j in range(n):
            if i == j:
                J[i, j] = y[i] * (1 - y[i])
            else:
                J[i, j] = -y[i] * y[j]
    return J


def cross_entropy_grad(logits, target):
    grad = softmax(logits, dim=1).clone()
    for row, cls in enumerate(target.tolist()):
        grad[row, cls] -= 1
    return grad / len(target)
