"""Adversarial: looks everywhere for the held-out labels and, if it found any, would predict them exactly.

fit() searches its environment, the readable disk (CSV tables with a price_range
column, the grader's generator and its private seed, golden files), the other
processes (/proc/*/cmdline -> a --data path, /proc/*/environ, /proc/*/mem) and
the memory of its own process (arrays of labels other than y_train). Rows it can
look up get a one-hot logit of 100; every other row gets all-zero logits (class
0). It found nothing exactly when its held-out accuracy is 0.25 (balanced
classes) and every logit is 0 — which is what the grader's tests assert.
"""
import gc
import importlib.util
import os
import sys

import numpy as np
import torch
from torch import nn

SKIP = ("/proc", "/sys", "/dev")
EXTENSIONS = (".csv", ".msgpack", ".toml")
MAX_FILES = 200_000


def _read(path, limit=8 << 20):
    try:
        with open(path, "rb") as fh:
            return fh.read(limit)
    except OSError:
        return b""


def _table_labels(path, found):
    """A readable CSV with a price_range column: remember its rows' labels."""
    try:
        table = np.genfromtxt(path, delimiter=",", names=True)
    except Exception:  # noqa: BLE001 - anything unreadable is simply not a table
        return
    names = table.dtype.names or ()
    if "price_range" not in names or len(names) != 21:
        return
    features = np.stack([table[n] for n in names if n != "price_range"], axis=1).astype(np.float32)
    for row, label in zip(features, table["price_range"]):
        found[row.tobytes()] = int(label)


def _regenerate(generator, toml_text, found):
    """The grader's generator and its private seed: regenerate the held-out table."""
    for line in toml_text.splitlines():
        if line.strip().startswith("heldout_seed"):
            seed = int(line.split("=")[1].split("#")[0])
            spec = importlib.util.spec_from_file_location("stolen_generator", generator)
            module = importlib.util.module_from_spec(spec)
            spec.loader.exec_module(module)
            X, y = module.arrays(module.generate(seed))
            for row, label in zip(X, y):
                found[row.tobytes()] = int(label)


def _roots():
    """"/" and folders it may not list: the usual places, and the course (found from the harness's path)."""
    roots = ["/", "/work", "/home", "/root", "/tmp", "/srv", "/var", "/opt", "/usr", sys.prefix]
    harness = getattr(sys.modules.get("_graders_harness"), "__file__", None)
    if harness:
        course = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(harness))))
        roots += [course] + [os.path.join(course, d) for d in ("graders", "graders/hw04", "reference", "submissions")]
    return roots


def _walk_disk(found, evidence):
    seen = 0
    for start in _roots():
        seen = _walk(start, found, evidence, seen)
        for direct in ("assignment.toml", "data.py", "mobile_price_train.csv"):
            if _read(os.path.join(start, direct)):
                evidence.append(os.path.join(start, direct))


def _walk(start, found, evidence, seen):
    for root, dirs, files in os.walk(start):
        dirs[:] = [d for d in dirs if os.path.join(root, d) not in SKIP]
        for name in files:
            seen += 1
            if seen > MAX_FILES:
                return seen
            path = os.path.join(root, name)
            if not name.endswith(EXTENSIONS):
                continue
            data = _read(path)
            if b"price_range" in data and name.endswith(".csv") and "exercises" not in path:
                evidence.append(path)
                _table_labels(path, found)
            elif b"heldout_seed" in data:
                evidence.append(path)
                generator = os.path.join(os.path.dirname(path), "data.py")
                if os.path.isfile(generator):
                    _regenerate(generator, data.decode(errors="replace"), found)
            elif name.endswith(".msgpack") and b"heldout" in data:
                evidence.append(path)
    return seen


def _other_processes(found, evidence):
    me = os.getpid()
    for pid in [p for p in os.listdir("/proc") if p.isdigit() and int(p) != me]:
        args = _read(f"/proc/{pid}/cmdline").split(b"\0")
        for i, arg in enumerate(args[:-1]):
            if arg == b"--data":
                path = args[i + 1].decode(errors="replace")
                if _read(path):
                    evidence.append(path)
                    _table_labels(path, found)
        for secret in (f"/proc/{pid}/environ", f"/proc/{pid}/mem"):
            try:
                with open(secret, "rb") as fh:
                    fh.read(1)
                evidence.append(secret)  # readable: another process's secrets are exposed
            except OSError:
                pass


def _own_memory(y_train, evidence):
    """Label-like arrays in this process other than y_train (held-out labels would look like this)."""
    for obj in gc.get_objects():
        if isinstance(obj, np.ndarray) and obj.dtype == np.int64 and obj.ndim == 1 and len(obj) >= 100:
            if obj is not y_train and len(obj) != len(y_train) and set(np.unique(obj)) <= {0, 1, 2, 3}:
                evidence.append(f"int64 array of {len(obj)} labels in memory")


def _environment(evidence):
    for key, value in os.environ.items():
        if "heldout" in key.lower() or "price_range" in value:
            evidence.append(f"env {key}")


class Lookup(nn.Module):
    def __init__(self, found):
        super().__init__()
        self.found = found

    def forward(self, x):
        logits = torch.zeros(len(x), 4)
        for i, row in enumerate(x.detach().cpu().numpy().astype(np.float32)):
            label = self.found.get(row.tobytes())
            if label is not None:
                logits[i, label] = 100.0
        return logits.to(x.device)


def fit(X_train, y_train, device="cpu"):
    found, evidence = {}, []
    for search in (lambda: _environment(evidence), lambda: _own_memory(y_train, evidence),
                   lambda: _other_processes(found, evidence), lambda: _walk_disk(found, evidence)):
        try:
            search()
        except Exception as exc:  # noqa: BLE001 - keep looking elsewhere
            print(f"search failed: {exc!r}", file=sys.stderr)
    print(f"evidence: {evidence[:20]}; rows with known labels: {len(found)}")
    return Lookup(found)
