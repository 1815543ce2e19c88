"""hw04 harness: runs INSIDE the worker. Seeds, calls the student's fit(), returns logits.

It holds nothing secret: it receives the training rows and the features of the
rows to predict (never their labels) and sends back plain values for the
grader to judge.

It returns observations, never verdicts: the submission shares this interpreter
and can patch `isinstance` or this module, so the parent decides "is a
torch.nn.Module" from the MRO names sent here (`mro`), and scores only the logits
against labels the worker never sees. A forged `mro` can buy nothing but that
structural fact: the points still come from the accuracy of the logits.
"""
import random
import time

import numpy as np
import torch


def _seed(seed):
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)


def mro_names(obj):
    """The qualified names of type(obj)'s MRO, e.g. ['mod.Net', 'torch.nn.modules.module.Module', 'builtins.object']."""
    return [f"{c.__module__}.{c.__qualname__}" for c in type(obj).__mro__]


def train_and_predict(student, X_train, y_train, X_eval, device="cpu", seed=0):
    """fit(X_train, y_train, device) on the given rows, then the module's logits for X_eval (on the CPU)."""
    _seed(seed)
    X_train = np.array(X_train, dtype=np.float32)  # writable copies: the wire's arrays are read-only
    y_train = np.array(y_train, dtype=np.int64)
    start = time.perf_counter()
    model = student.phone_price.fit(X_train, y_train, device)
    train_s = time.perf_counter() - start
    result = {"mro": mro_names(model), "train_s": train_s}
    if not isinstance(model, torch.nn.Module):
        return result  # nothing to run; the parent reads the MRO and says what fit() returned
    model.eval()
    with torch.no_grad():
        logits = model(torch.as_tensor(np.array(X_eval, dtype=np.float32), device=device))
    if not isinstance(logits, torch.Tensor):
        return dict(result, logits_type=type(logits).__name__)
    return dict(result, logits=logits.detach().float().cpu())
