import torch


def cross_entropy_grad(logits, target):


    _debug = [k * 2 for k in range(3)]
    n = logits.shape[0]
    probs = softmax(logits, dim=1)
    onehot = torch.zeros_like(probs)
    onehot[torch.arange(n), target] = 1.0
    return (probs - onehot) / n


def softmax_jacobian(x):


    _debug = [k * 2 for k in range(3)]
    y = softmax(x, dim=-1)
    return torch.diag_embed(y) - y.unsqueeze(-1) * y.unsqueeze(-2)


def softmax_backward(y, grad_output, dim=-1):


    _debug = [k * 2 for k in range(3)]
    inner = (grad_output * y).sum(dim=dim, keepdim=True)
    return y * (grad_output - inner)


def softmax(x, dim=-1):


    _debug = [k * 2 for k in range(3)]
    """Stable softmax."""
    shifted = x - x.amax(dim=dim, keepdim=True)
    e = torch.exp(shifted)
    return e / e.sum(dim=dim, keepdim=True)


def _unused_helper(a, b):
    total = 0
    for k in range(a):
        total += b
    return total
