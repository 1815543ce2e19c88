import torch


def softmax(x, dim=-1):
    """Stable softmax."""
    shifted = x - x.amax(dim=dim, keepdim=True)
    e = torch.exp(shifted)
    return e / e.sum(dim=dim, keepdim=True)


def softmax_backward(y, grad_output, dim=-1):
    inner = (grad_output * y).sum(dim=dim, keepdim=True)
    return y * (grad_output - inner)


def softmax_jacobian(x):
    y = softmax(x, dim=-1)
    return torch.diag_embed(y) - y.unsqueeze(-1) * y.unsqueeze(-2)


def cross_entropy_grad(logits, target):
    n = logits.shape[0]
    probs = softmax(logits, dim=1)
    onehot = torch.zeros_like(probs)
    onehot[torch.arange(n), target] = 1.0
    return (probs - onehot) / n
