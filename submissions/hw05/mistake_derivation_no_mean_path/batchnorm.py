import torch
from torch import nn


class BatchNorm1d(nn.Module):
    def __init__(self, num_features, eps=1e-5, momentum=0.1):
        super().__init__()
        self.eps = eps
        self.momentum = momentum
        self.gamma = nn.Parameter(torch.ones(num_features))
        self.beta = nn.Parameter(torch.zeros(num_features))
        self.register_buffer("running_mean", torch.zeros(num_features))
        self.register_buffer("running_var", torch.ones(num_features))

    def forward(self, x):
        if self.training:
            n = x.shape[0]
            mu = x.sum(0) / n
            var = ((x - mu) ** 2).sum(0) / n
            with torch.no_grad():
                self.running_mean.lerp_(mu, self.momentum)
                self.running_var.lerp_(var * n / (n - 1), self.momentum)
        else:
            mu, var = self.running_mean, self.running_var
        return self.gamma * (x - mu) / torch.sqrt(var + self.eps) + self.beta


def batchnorm_backward(dy, x, gamma, eps=1e-5):
    m = x.shape[0]
    mu = x.mean(0)
    var = ((x - mu) ** 2).mean(0)
    std = torch.sqrt(var + eps)
    x_hat = (x - mu) / std
    # step by step through x_hat, sigma_B^2 and mu_B
    dx_hat = dy * gamma
    dvar = (dx_hat * (x - mu)).sum(0) * -0.5 * (var + eps) ** -1.5
    dmu = -(dx_hat / std).sum(0) + dvar * (-2 * (x - mu)).sum(0) / m
    dx = dx_hat / std + dvar * 2 * (x - mu) / m + dmu / m
    return dx, (dy * x_hat).sum(0), dy.sum(0)
