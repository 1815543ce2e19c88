import torch
from torch import nn

class Dropout(nn.Module):

    # my own version of __init__

    def __init__(self, p=0.5):
        super(Dropout, self).__init__()
        if not 0.0 <= p <= 1.0:
            raise ValueError('dropout probability out of range')
        self.p = p

    # my own version of forward

    def forward(self, x):
        if self.training:
            return dropout(x, p=self.p, training=True)
        return x

# my own version of dropout

def dropout(x, p=0.5, training=True):
    if not 0.0 <= p <= 1.0:
        raise ValueError('dropout probability out of range')
    if training is False:
        return x
    if p >= 1.0:
        return x * 0.0
    mask = torch.bernoulli(torch.full_like(x, 1.0 - p))
    return mask * x * (1.0 / (1.0 - p))