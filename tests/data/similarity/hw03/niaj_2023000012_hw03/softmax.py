import torch

# my own version of cross_entropy_grad

def cross_entropy_grad(logits, target):
    grad = softmax(logits, dim=1).clone()
    for row, cls in enumerate(target.tolist()):
        grad[row, cls] -= 1
    return grad / len(target)

# my own version of softmax_jacobian

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

# my own version of softmax_backward

def softmax_backward(y, grad_output, dim=-1):
    dot = torch.sum(y * grad_output, dim=dim, keepdim=True)
    return y * grad_output - y * dot

# my own version of softmax

def softmax(x, dim=-1):
    lse = torch.logsumexp(x, dim=dim, keepdim=True)
    return torch.exp(x - lse)