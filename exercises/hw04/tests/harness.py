"""hw04 harness: runs INSIDE the worker. Seeds, calls the student's fit(), returns logits.

It holds nothing secret: it receives the training rows and the features of the
rows to predict (never their labels) and sends back plain values for the
grader to judge.
"""
import random
import time

import numpy as np
import torch


def _seed(seed):
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)


def train_and_predict(student, X_train, y_train, X_eval, device="cpu", seed=0):
    """fit(X_train, y_train, device) on the given rows, then the module's logits for X_eval (on the CPU)."""
    _seed(seed)
    X_train = np.array(X_train, dtype=np.float32)  # writable copies: the wire's arrays are read-only
    y_train = np.array(y_train, dtype=np.int64)
    start = time.perf_counter()
    model = student.phone_price.fit(X_train, y_train, device)
    train_s = time.perf_counter() - start
    if not isinstance(model, torch.nn.Module):
        kind = type(model)
        return {"is_module": False, "type": f"{kind.__module__}.{kind.__qualname__}".removeprefix("builtins.")}
    model.eval()
    with torch.no_grad():
        logits = model(torch.as_tensor(np.array(X_eval, dtype=np.float32), device=device))
    if not isinstance(logits, torch.Tensor):
        return {"is_module": True, "logits_type": type(logits).__name__, "train_s": train_s}
    return {"is_module": True, "logits": logits.detach().float().cpu(), "train_s": train_s}
