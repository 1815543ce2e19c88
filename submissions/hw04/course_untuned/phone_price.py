"""The course's first network, untuned: raw inputs, sigmoid MLP 20-128-256-4, SGD lr 1e-3, 50 epochs, batch 8."""
import torch
from torch import nn


def fit(X_train, y_train, device="cpu"):
    X = torch.as_tensor(X_train, dtype=torch.float32)
    y = torch.as_tensor(y_train, dtype=torch.int64)
    model = nn.Sequential(nn.Linear(20, 128), nn.Sigmoid(), nn.Linear(128, 256), nn.Sigmoid(),
                          nn.Linear(256, 4)).to(device)
    loader = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(X, y), batch_size=8, shuffle=True)
    optimizer = torch.optim.SGD(model.parameters(), lr=1e-3)
    loss_fn = nn.CrossEntropyLoss()
    for _ in range(50):
        for xb, yb in loader:
            optimizer.zero_grad()
            loss_fn(model(xb.to(device)), yb.to(device)).backward()
            optimizer.step()
    return model.eval()
