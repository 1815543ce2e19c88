"""The course's tuned network: standardized inputs, sigmoid MLP 20-128-256-512-128-4, Adam lr 1e-4, 50 epochs, batch 8.

On the course's table it reaches 0.9625 (0.9425-0.97 over seeds): close, but not 0.97.
"""
import torch
from torch import nn


class Standardize(nn.Module):
    def __init__(self, mean, std):
        super().__init__()
        self.register_buffer("mean", mean)
        self.register_buffer("std", std)

    def forward(self, x):
        return (x - self.mean) / self.std


def fit(X_train, y_train, device="cpu"):
    X = torch.as_tensor(X_train, dtype=torch.float32)
    y = torch.as_tensor(y_train, dtype=torch.int64)
    model = nn.Sequential(Standardize(X.mean(0), X.std(0)),
                          nn.Linear(20, 128), nn.Sigmoid(), nn.Linear(128, 256), nn.Sigmoid(),
                          nn.Linear(256, 512), nn.Sigmoid(), nn.Linear(512, 128), nn.Sigmoid(),
                          nn.Linear(128, 4)).to(device)
    loader = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(X, y), batch_size=8, shuffle=True)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-4)
    loss_fn = nn.CrossEntropyLoss()
    for _ in range(50):
        for xb, yb in loader:
            optimizer.zero_grad()
            loss_fn(model(xb.to(device)), yb.to(device)).backward()
            optimizer.step()
    return model.eval()
