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

from graders.core import confine, protocol

OUTPUT_FILE = ".output.log"


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


def _error(kind: str, exc: BaseException) -> dict[str, Any]:
    tb = traceback.extract_tb(exc.__traceback__)
    student_frames = [f for f in tb if "/graders/" not in f.filename]
    where = f"{os.path.basename(student_frames[-1].filename)}:{student_frames[-1].lineno}" if student_frames else ""
    return {"error": {"type": kind, "exception": type(exc).__name__,
                      "message": str(exc)[:2000], "where": where,
                      "traceback": "".join(traceback.format_list(student_frames[-6:]))[-4000:]}}


def _dispatch(request: dict[str, Any], harness: Any, device: str, confinement: confine.Confinement) -> Any:
    op = request.get("op")
    if op == "confinement":
        return {"applied": confinement.applied, "missing": confinement.missing}
    args = _to_device(request.get("args", []), device)
    kwargs = _to_device(request.get("kwargs", {}), device)
    if op == "import":
        importlib.import_module(request["module"])
        return None
    if op == "call":
        module = importlib.import_module(request["module"])
        return getattr(module, request["func"])(*args, **kwargs)
    if op == "harness":
        return getattr(harness, request["func"])(StudentModules(), *args, **kwargs)
    raise ValueError(f"unknown request {op!r}")


def _answer(request: dict[str, Any], harness: Any, device: str, confinement: confine.Confinement) -> dict[str, Any]:
    try:
        value = _dispatch(request, harness, device, confinement)
    except ImportError as exc:
        return _error("import", exc)
    except SyntaxError as exc:
        return _error("syntax", exc)
    except BaseException as exc:  # noqa: BLE001 - student code may raise anything, even SystemExit
        return _error("exception", exc)
    try:
        protocol.pack(value)
    except (TypeError, ValueError, OverflowError) as exc:
        return _error("unsendable", exc)
    return {"ok": value}


def serve(sock: socket.socket, harness: Any, device: str, confinement: confine.Confinement) -> None:
    """Answer requests until the parent closes the connection."""
    while True:
        try:
            request = protocol.recv(sock)
        except (EOFError, ConnectionError, protocol.ProtocolError):
            return
        reply = _answer(request, harness, device, confinement)
        protocol.send(sock, reply)


def _load_harness(path: str | None) -> Any:
    if not path:
        return None
    spec = importlib.util.spec_from_file_location("_graders_harness", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)  # trusted assignment code, loaded before confinement
    return module


def _redirect_output(scratch: str) -> None:
    fd = os.open(os.path.join(scratch, OUTPUT_FILE), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.dup2(fd, 1)
    os.dup2(fd, 2)
    os.close(fd)
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


def run_confined(sock: socket.socket, config: dict[str, Any], confinement: confine.Confinement) -> None:
    """Confine this (already forked) process, then serve student calls. Never returns."""
    code = 0
    try:
        confine.die_with_parent()
        scratch = config["scratch"]
        _redirect_output(scratch)
        harness = _load_harness(config.get("harness"))
        _prepare_interpreter(config)
        confine.set_limits(confine.Limits(**config["limits"]), confinement)
        confine.drop_privileges(scratch, confine.Limits(**config["limits"]), confinement)
        confine.restrict_filesystem(scratch, config["hidden"], confinement)
        confine.scrub_environment(scratch)
        serve(sock, harness, config.get("device", "cpu"), confinement)
    except BaseException:  # noqa: BLE001 - report and leave; the parent sees EOF
        traceback.print_exc()
        code = 70
    finally:
        sys.stdout.flush() if sys.stdout else None
        os._exit(code)
