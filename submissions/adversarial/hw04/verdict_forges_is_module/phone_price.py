"""A correct solution in the course's style: its tuned sigmoid MLP, Adam lr 1e-3 decayed to 0 (cosine), batch 32.

The decaying learning rate is what lifts the course's network from ~0.96 to >= 0.97.
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


def fit(X_train, y_train, device="cpu", epochs=50):
    X = torch.as_tensor(X_train, dtype=torch.float32, device=device)
    y = torch.as_tensor(y_train, dtype=torch.int64, device=device)
    model = nn.Sequential(Standardize(X.mean(0), X.std(0)),
                          nn.Linear(20, 128), nn.Sigmoid(), nn.Linear(128, 256), nn.Sigmoid(),
                          nn.Linear(256, 512), nn.Sigmoid(), nn.Linear(512, 128), nn.Sigmoid(),
                          nn.Linear(128, 4)).to(device)
    batches = (len(X) + 31) // 32
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    schedule = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=epochs * batches)
    loss_fn = nn.CrossEntropyLoss()
    for _ in range(epochs):
        order = torch.randperm(len(X), device=device)
        for i in range(batches):
            idx = order[i * 32:(i + 1) * 32]
            optimizer.zero_grad()
            loss_fn(model(X[idx]), y[idx]).backward()
            optimizer.step()
            schedule.step()
    return _Predictor(model.eval())


# --- adversarial: fit() returns a plain callable, not a torch.nn.Module, and the
# worker's isinstance is patched so that a check run inside the worker says it is one.
import builtins  # noqa: E402

_isinstance = builtins.isinstance


def _forged_isinstance(obj, cls):
    if cls is nn.Module and type(obj).__name__ == "_Predictor":
        return True
    return _isinstance(obj, cls)


builtins.isinstance = _forged_isinstance


class _Predictor:
    def __init__(self, model):
        self.model = model

    def eval(self):
        return self

    def __call__(self, x):
        return self.model(x)
# --- end adversarial ---
