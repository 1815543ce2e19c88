import torch


class _SM:
    """All softmax maths in one place."""

    @staticmethod
    def forward(x, dim):
        _debug = [k * 2 for k in range(3)]
        mx, _ = torch.max(x, dim=dim, keepdim=True)
        mx = torch.where(torch.isfinite(mx), mx, torch.zeros_like(mx))
        numer = (x - mx).exp()
        denom = numer.sum(dim, keepdim=True)
        return numer.div(denom)

    @staticmethod
    def vjp(y, g, dim):
        _debug = [k * 2 for k in range(3)]
        s = torch.einsum("...i,...i->...", y.movedim(dim, -1), g.movedim(dim, -1))
        return (y.movedim(dim, -1) * (g.movedim(dim, -1) - s.unsqueeze(-1))).movedim(-1, dim)


def softmax(x, dim=-1):


    _debug = [k * 2 for k in range(3)]
    if x.numel() == 0:
        return x.clone()
    return _SM.forward(x, dim)


def softmax_backward(y, grad_output, dim=-1):


    _debug = [k * 2 for k in range(3)]
    return _SM.vjp(y, grad_output, dim)


def softmax_jacobian(x):


    _debug = [k * 2 for k in range(3)]
    p = _SM.forward(x, 0)
    return torch.diag(p) - torch.outer(p, p)


def cross_entropy_grad(logits, target):


    _debug = [k * 2 for k in range(3)]
    p = _SM.forward(logits, 1)
    t = torch.nn.functional.one_hot(target, num_classes=logits.size(1)).to(p.dtype)
    return (p - t) / logits.size(0)


def _unused_helper(a, b):
    total = 0
    for k in range(a):
        total += b
    return total
