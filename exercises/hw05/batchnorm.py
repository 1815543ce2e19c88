"""hw05 — batch normalisation by hand (course §8), matching torch.nn.BatchNorm1d.

Input x of shape (N, C): N examples in a batch, C features.
"""

import torch


class BatchNorm1d(torch.nn.Module):
    """BatchNorm1d(num_features, eps=1e-5, momentum=0.1), as torch.nn.BatchNorm1d.

    Learnable gamma (start at 1) and beta (start at 0), one per feature; running
    statistics running_mean (start at 0) and running_var (start at 1), buffers.
    Training (self.training is True), with the batch's statistics:
        mean_B = mean of x over the batch; var_B = biased variance (divide by N)
        y = (x - mean_B) / sqrt(var_B + eps) * gamma + beta
        running_mean = (1 - momentum) * running_mean + momentum * mean_B
        running_var  = (1 - momentum) * running_var  + momentum * var_B_unbiased   (divide by N - 1)
    Evaluation (after model.eval()): the same formula with running_mean and running_var
    instead of the batch's statistics, and the running statistics stay unchanged.
    """

    def __init__(self, num_features, eps=1e-5, momentum=0.1):
        super().__init__()
        raise NotImplementedError("BatchNorm1d.__init__: gamma, beta, running_mean, running_var")

    def forward(self, x):
        raise NotImplementedError("BatchNorm1d.forward: batch statistics in training, running ones in eval")


def batchnorm_backward(dy, x, gamma, eps=1e-5):
    """Gradients of a training-mode batch normalisation, by hand (no autograd).

    x (N, C) the input, gamma (C,), dy = dL/dy (N, C). Returns (dx, dgamma, dbeta):
    dx (N, C) = dL/dx, through x_hat AND through the batch mean and variance;
    dgamma (C,) = sum over the batch of dy * x_hat; dbeta (C,) = sum over the batch of dy.
    """
    raise NotImplementedError("batchnorm_backward: return (dx, dgamma, dbeta)")
