import math
import torch


def softmax(x, dim=-1):
    x_t = x.transpose(dim, -1)
    flat = x_t.reshape(-1, x_t.shape[-1])
    out = torch.zeros_like(flat)
    for r in range(flat.shape[0]):
        row = flat[r]
        biggest = max(row.tolist()) if row.numel() else 0.0
        total = 0.0
        for k in range(row.shape[0]):
            total += math.exp(row[k].item() - biggest)
        for k in range(row.shape[0]):
            out[r, k] = math.exp(row[k].item() - biggest) / total
    return out.reshape(x_t.shape).transpose(dim, -1)


def softmax_backward(y, grad_output, dim=-1):
    weighted = (y * grad_output).sum(dim=dim, keepdim=True)
    return y * grad_output - weighted * y


def softmax_jacobian(x):
    y = softmax(x)
    size = len(y)
    jac = torch.zeros(size, size)
    for a in range(size):
        for b in range(size):
            delta = 1.0 if a == b else 0.0
            jac[a, b] = y[a] * (delta - y[b])
    return jac


def cross_entropy_grad(logits, target):
    batch, classes = logits.shape
    y = softmax(logits, dim=1)
    g = torch.zeros(batch, classes)
    for i in range(batch):
        for c in range(classes):
            g[i, c] = (y[i, c] - (1.0 if target[i] == c else 0.0)) / batch
    return g
