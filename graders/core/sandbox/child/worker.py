"""The only code that imports student code. Runs in a confined child process.

It receives plain requests over a socket, calls the student's functions (or a
harness function of the assignment that drives student objects), and answers
with plain values. It never sees expected values and computes no score.
"""
from __future__ import annotations

import importlib
import importlib.util
import os
import socket
import sys
import traceback
from typing import Any

from graders.core.sandbox.child import confine
from graders.core.sandbox.wire import framing, protocol

_EXIT = os._exit  # bound before any student import: student code may replace os._exit


class StudentModules:
    """Lazy access to the submission's modules by name (`student.softmax`)."""

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        return importlib.import_module(name)


def _to_device(value: Any, device: str) -> Any:
    import torch

    if isinstance(value, torch.Tensor):
        return value.to(device)
    if isinstance(value, list):
        return [_to_device(v, device) for v in value]
    if isinstance(value, tuple):
        return tuple(_to_device(v, device) for v in value)
    if isinstance(value, dict):
        return {k: _to_device(v, device) for k, v in value.items()}
    return value


def _dispatch(request: dict[str, Any], harness: Any, device: str) -> Any:
    op = request.get("op")
    args = _to_device(request.get("args", []), device)
    kwargs = _to_device(request.get("kwargs", {}), device)
    if op == "ping":
        return None
    if op == "import":
        importlib.import_module(request["module"])
        return None
    if op == "call":
        module = importlib.import_module(request["module"])
        return getattr(module, request["func"])(*args, **kwargs)
    if op == "harness":
        return getattr(harness, request["func"])(StudentModules(), *args, **kwargs)
    raise ValueError(f"unknown request {op!r}")


def _safe_text(value: Any, limit: int) -> str:
    """str() of a student object, which may itself raise or be huge."""
    try:
        return str(value)[:limit]
    except BaseException:  # noqa: BLE001 - a hostile __str__
        return f"<{type(value).__name__} whose str() failed>"


def _error(kind: str, exc: BaseException) -> dict[str, Any]:
    try:
        tb = traceback.extract_tb(exc.__traceback__)
        student_frames = [f for f in tb if "/graders/" not in f.filename]
        where = f"{os.path.basename(student_frames[-1].filename)}:{student_frames[-1].lineno}" if student_frames else ""
        trace = "".join(traceback.format_list(student_frames[-6:]))[-4000:]
    except BaseException:  # noqa: BLE001 - a traceback object can be tampered with too
        where, trace = "", ""
    return {"error": {"type": kind, "exception": _safe_text(type(exc).__name__, 200),
                      "message": _safe_text(exc, 2000), "where": where, "traceback": trace}}


def _answer(request: dict[str, Any], harness: Any, device: str) -> bytes:
    """The packed reply: the value, or what went wrong (never raises, whatever the value is)."""
    try:
        value = _dispatch(request, harness, device)
    except ImportError as exc:
        return protocol.pack(_error("import", exc))
    except SyntaxError as exc:
        return protocol.pack(_error("syntax", exc))
    except BaseException as exc:  # noqa: BLE001 - student code may raise anything, even SystemExit
        return protocol.pack(_error("exception", exc))
    try:
        return protocol.pack({"ok": value})
    except BaseException as exc:  # noqa: BLE001 - any failure to encode (recursion, meta tensors, hostile __index__)
        what = f"a value of type {_safe_text(type(value).__name__, 200)}: {_safe_text(exc, 300)}"
        return protocol.pack({"error": {"type": "unsendable", "exception": type(exc).__name__,
                                        "message": what, "where": "", "traceback": ""}})


def serve(sock: socket.socket, harness: Any, device: str, confinement: confine.Confinement) -> None:
    """Tell the parent how the worker is confined (before any student code runs), then answer requests."""
    framing.send_frame(sock, protocol.pack({"confinement": {"applied": confinement.applied,
                                                            "missing": confinement.missing}}))
    while True:
        try:
            request = protocol.recv(sock)
        except (EOFError, ConnectionError, protocol.ProtocolError):
            return
        framing.send_frame(sock, _answer(request, harness, device))


def load_harness(path: str | None) -> Any:
    if not path:
        return None
    spec = importlib.util.spec_from_file_location("_graders_harness", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)  # trusted assignment code, loaded before confinement
    return module


def _redirect_output(log_fd: int) -> None:
    """stdout and stderr go to a file the parent created and holds (no path the student can replace)."""
    os.dup2(log_fd, 1)
    os.dup2(log_fd, 2)
    os.close(log_fd)
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)
    os.close(devnull)


def _prepare_interpreter(config: dict[str, Any]) -> None:
    import torch

    torch.set_num_threads(int(config.get("threads", 1)))
    sys.path[:] = [config["scratch"]] + [p for p in sys.path if p and os.path.isdir(p)
                                          and p in confine.readable_roots(config["hidden"])]
    sys.dont_write_bytecode = True
    for name in [m for m in sys.modules if m.startswith("graders.hw")]:
        del sys.modules[name]


def run_confined(sock: socket.socket, log_fd: int, config: dict[str, Any], harness: Any,
                 confinement: confine.Confinement, namespaces: confine.Namespaces) -> None:
    """Confine this (already forked) process, then serve student calls. Never returns."""
    code = 0
    try:
        confine.die_with_parent()
        scratch = config["scratch"]
        _redirect_output(log_fd)
        _prepare_interpreter(config)
        limits = confine.Limits(**config["limits"])
        confine.set_limits(limits, confinement)
        if os.geteuid() == 0 and not namespaces.mount:
            confine.chown_tree(scratch, confine.NOBODY)  # no mount namespace: the plain folder goes to 'nobody'
        confine.drop_privileges(limits, namespaces, confinement)
        confine.restrict_filesystem(scratch, config["hidden"], confinement)
        confine.scrub_environment(scratch)
        serve(sock, harness, config.get("device", "cpu"), confinement)
    except BaseException:  # noqa: BLE001 - report and leave; the parent sees EOF
        traceback.print_exc()
        code = 70
    finally:
        sys.stdout.flush() if sys.stdout else None
        _EXIT(code)
