"""The warm template: imports torch, numpy and the worker once, then forks workers on request.

It never runs student code itself (DESIGN.md, "Speed without sharing"): each
request forks a fresh child that confines itself and then serves exactly one
grading session. Run as `python -m graders.core.template FD`.
"""
from __future__ import annotations

import json
import os
import socket
import sys
from typing import Any

from graders.core import confine

_MAX_CONTROL = 1 << 16


def _warm_imports() -> None:
    import numpy  # noqa: F401
    import torch  # noqa: F401  (import only: an op here would start threads fork cannot copy)
    import torch._dynamo  # noqa: F401  (torch.optim imports it lazily on the first step: ~1 s)

    from graders.core import protocol, worker  # noqa: F401


def _exit_code(status: int) -> int:
    return os.waitstatus_to_exitcode(status)


def _start_child(sock: socket.socket, config: dict[str, Any]) -> None:
    """In the forked child: own session, namespaces, then (as pid 1 of a pid namespace) the worker."""
    from graders.core import worker

    os.setsid()
    confine.die_with_parent()
    confinement = confine.Confinement()
    if os.geteuid() == 0:
        confine.join_pids_cgroup(int(config["limits"]["processes"]), confinement)
    if confine.isolate_namespaces(confinement):
        inner = os.fork()
        if inner == 0:
            worker.run_confined(sock, config, confinement)
        sock.close()
        _, status = os.waitpid(inner, 0)
        code = _exit_code(status)
        os._exit(128 - code if code < 0 else code)
    worker.run_confined(sock, config, confinement)


class _Reaper:
    """Collects exit statuses of finished children so none stays a zombie."""

    def __init__(self) -> None:
        self.statuses: dict[int, dict[str, Any]] = {}

    def reap(self) -> None:
        while True:
            try:
                pid, status, usage = os.wait4(-1, os.WNOHANG)
            except ChildProcessError:
                return
            if pid == 0:
                return
            # ru_maxrss (KiB) covers the child and the worker it waited for: the peak of the two.
            self.statuses[pid] = {"code": _exit_code(status), "peak_mb": round(usage.ru_maxrss / 1024, 1)}
            confine.remove_pids_cgroup(pid)

    def wait(self, pid: int, timeout: float) -> dict[str, Any]:
        import time

        deadline = time.monotonic() + timeout
        while pid not in self.statuses and time.monotonic() < deadline:
            self.reap()
            time.sleep(0.002)
        return self.statuses.pop(pid, {"code": None})


def _handle(control: socket.socket, reaper: _Reaper, message: dict[str, Any], fds: list[int]) -> dict[str, Any]:
    reaper.reap()
    if message["op"] == "spawn":
        child_sock = socket.socket(fileno=fds[0])
        pid = os.fork()
        if pid == 0:
            control.close()
            _start_child(child_sock, message["config"])
        child_sock.close()
        return {"pid": pid}
    if message["op"] == "wait":
        return reaper.wait(int(message["pid"]), float(message.get("timeout", 1.0)))
    return {"error": f"unknown op {message['op']!r}"}


def main(fd: int) -> None:
    confine.die_with_parent()
    control = socket.socket(fileno=fd)
    _warm_imports()
    reaper = _Reaper()
    try:
        control.send(json.dumps({"ready": True, "pid": os.getpid()}).encode())
        while True:
            data, fds, _flags, _addr = socket.recv_fds(control, _MAX_CONTROL, 4)
            if not data:
                break
            reply = _handle(control, reaper, json.loads(data), fds)
            control.send(json.dumps(reply).encode())
    except ConnectionError:
        pass  # the grader went away: nothing to report to
    os._exit(0)  # skip interpreter teardown (torch's takes most of a second)


if __name__ == "__main__":
    main(int(sys.argv[1]))
