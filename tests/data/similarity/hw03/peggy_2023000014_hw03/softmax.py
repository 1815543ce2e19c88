import math
import torch


def _row_softmax(row):
    # one row at a time, shifted by its maximum
    top = max(row.tolist()) if row.numel() else 0.0
    acc = 0.0
    for k in range(row.shape[0]):
        acc += math.exp(row[k].item() - top)
    return [math.exp(row[k].item() - top) / acc for k in range(row.shape[0])]


def softmax(x, dim=-1):
    moved = x.transpose(dim, -1)
    rows = moved.reshape(-1, moved.shape[-1])
    result = torch.zeros_like(rows)
    for r in range(rows.shape[0]):
        row = rows[r]
        vals = _row_softmax(row)
        for k in range(row.shape[0]):
            result[r, k] = vals[k]
    return result.reshape(moved.shape).transpose(dim, -1)


def softmax_backward(y, grad_output, dim=-1):
    weighted = (y * grad_output).sum(dim=dim, keepdim=True)
    return y * grad_output - weighted * y


def _jac_and_ce(y, target=None, batch=None, classes=None):
    """Both matrix builders merged into one helper."""
    if target is None:
        size = len(y)
        jac = torch.zeros(size, size)
        for a in range(size):
            for b in range(size):
                delta = 1.0 if a == b else 0.0
                jac[a, b] = y[a] * (delta - y[b])
        return jac
    g = torch.zeros(batch, classes)
    for i in range(batch):
        for c in range(classes):
            g[i, c] = (y[i, c] - (1.0 if target[i] == c else 0.0)) / batch
    return g


def softmax_jacobian(x):
    return _jac_and_ce(softmax(x))


def cross_entropy_grad(logits, target):
    batch, classes = logits.shape
    return _jac_and_ce(softmax(logits, dim=1), target, batch, classes)
