"""Mistake: fit() trains a network, then returns its predictions on the training rows (a numpy array), not the module."""
import torch
from torch import nn


def fit(X_train, y_train, device="cpu"):
    X = torch.as_tensor(X_train)
    y = torch.as_tensor(y_train)
    mean, std = X.mean(0), X.std(0)
    model = nn.Sequential(nn.Linear(20, 64), nn.ReLU(), nn.Linear(64, 4))
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-2)
    for _ in range(100):
        optimizer.zero_grad()
        nn.functional.cross_entropy(model((X - mean) / std), y).backward()
        optimizer.step()
    with torch.no_grad():
        return model((X - mean) / std).argmax(1).numpy()
