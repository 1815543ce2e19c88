import torch


def _float(x):
    x = torch.as_tensor(x)
    return x if x.is_floating_point() else x.float()


def softmax(x, dim=-1):
    # softmax = exp(x - logsumexp(x)), written on x - max(x) so that the
    # subtraction stays exact in float32 even for logits of 1e4
    x = _float(x)
    if x.numel() == 0:
        return x.clone()
    z = x.float() if x.dtype in (torch.float16, torch.bfloat16) else x
    z = z - z.max(dim=dim, keepdim=True).values
    return torch.exp(z - torch.logsumexp(z, dim=dim, keepdim=True)).to(x.dtype)


def softmax_backward(y, grad_output, dim=-1):
    dot = (grad_output * y).sum(dim=dim, keepdim=True)
    return y * grad_output - y * dot


def softmax_jacobian(x):
    y = softmax(x)
    n = y.shape[0]
    eye = torch.eye(n, dtype=y.dtype, device=y.device)
    return y[:, None] * (eye - y[None, :])


def cross_entropy_grad(logits, target):
    n = logits.shape[0]
    grad = softmax(logits, dim=1).clone()
    grad[torch.arange(n, device=grad.device), target] -= 1
    return grad / n


if __name__ == "__main__":
    x = torch.randn(3, 5)
    print(torch.allclose(softmax(x), torch.softmax(x, dim=-1)))
