"""hw05 reference — BatchNorm1d forward (train and eval) and its backward pass, by hand."""

import torch

__all__ = ["BatchNorm1d", "batchnorm_backward"]


class BatchNorm1d(torch.nn.Module):
    """torch.nn.BatchNorm1d(num_features, eps, momentum) for input (N, C), written out."""

    def __init__(self, num_features, eps=1e-5, momentum=0.1):
        super().__init__()
        self.eps, self.momentum = eps, momentum
        self.weight = torch.nn.Parameter(torch.ones(num_features))  # gamma
        self.bias = torch.nn.Parameter(torch.zeros(num_features))  # beta
        self.register_buffer("running_mean", torch.zeros(num_features))
        self.register_buffer("running_var", torch.ones(num_features))

    def forward(self, x):
        if self.training:
            mean = x.mean(dim=0)
            var = x.var(dim=0, unbiased=False)  # the normalisation uses the biased variance
            with torch.no_grad():
                n = x.shape[0]
                unbiased = var * n / (n - 1)  # the running variance is unbiased, as in torch
                self.running_mean.mul_(1 - self.momentum).add_(self.momentum * mean)
                self.running_var.mul_(1 - self.momentum).add_(self.momentum * unbiased)
        else:
            mean, var = self.running_mean, self.running_var
        x_hat = (x - mean) / torch.sqrt(var + self.eps)  # eps inside the square root
        return x_hat * self.weight + self.bias


def batchnorm_backward(dy, x, gamma, eps=1e-5):
    """(dx, dgamma, dbeta) of y = gamma * x_hat + beta with training-mode statistics.

    dx = gamma / (m * sqrt(var + eps)) * (m * dy - sum(dy) - x_hat * sum(dy * x_hat)),
    the three terms being the paths through x_hat, the mean and the variance.
    """
    m = x.shape[0]
    mean = x.mean(dim=0)
    inv_std = 1 / torch.sqrt(x.var(dim=0, unbiased=False) + eps)
    x_hat = (x - mean) * inv_std
    dbeta = dy.sum(dim=0)
    dgamma = (dy * x_hat).sum(dim=0)
    dx = gamma * inv_std / m * (m * dy - dbeta - x_hat * dgamma)
    return dx, dgamma, dbeta
