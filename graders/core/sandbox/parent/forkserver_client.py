"""Parent side of the sandbox: the client of the warm fork server (the "template") and the worker config.

The parent never imports student code. It asks the template to fork a worker
per grading session (`Template.spawn` gives a `Worker`, see worker_handle.py),
and to kill and reap a worker's whole tree. The template is a fresh interpreter
(`python -m forkserver`), or, for a process that needs torch itself and has read
no hidden material yet (the cold `grade HW`), a fork of it made right after its
torch import: one torch import instead of two.
"""
from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass, field
from typing import Any

from graders.core.sandbox.parent.worker_handle import OutputLog, Worker
from graders.core.sandbox.wire.limits import Limits
from graders.errors import WorkerDied
from graders.i18n import _

FORKSERVER = "graders.core.sandbox.child.forkserver"  # run as `python -m FORKSERVER FD`


def shared_folders() -> list[str]:
    """Folders other processes share sockets and files in; a worker sees them empty."""
    folders = ["/tmp", "/var/tmp", "/run", "/dev/shm", tempfile.gettempdir()]
    if os.environ.get("XDG_RUNTIME_DIR"):
        folders.append(os.environ["XDG_RUNTIME_DIR"])
    return folders


@dataclass(frozen=True)
class WorkerConfig:
    """Everything a worker needs to confine itself; plain data, sent as JSON."""

    scratch: str
    hidden: list[str]
    masked: list[str] = field(default_factory=shared_folders)
    limits: Limits = field(default_factory=Limits)
    harness: str | None = None
    device: str = "cpu"
    threads: int = 1

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["limits"] = asdict(self.limits)
        return data


def _clean_env() -> dict[str, str]:
    keep = ("PATH", "LANG", "LC_ALL", "PYTHONPATH", "VIRTUAL_ENV", "HOME")
    env = {k: os.environ[k] for k in keep if k in os.environ}
    env.update({"OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1", "PYTHONDONTWRITEBYTECODE": "1"})
    return env


def may_fork() -> bool:
    """Whether this process may become the template's parent by fork: no other Python thread (a fork keeps
    only the caller's, and any lock another held), and no assignment module loaded (hidden material)."""
    return (threading.active_count() == 1 and hasattr(os, "fork")
            and not any(name.startswith("graders.hw") for name in sys.modules))


class ForkedProcess:
    """The template forked from this process, seen as much like a Popen as Template needs."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.returncode: int | None = None

    def wait(self, timeout: float | None = None) -> int:
        deadline = None if timeout is None else time.monotonic() + timeout
        while self.returncode is None:
            pid, status = os.waitpid(self.pid, 0 if deadline is None else os.WNOHANG)
            if pid:
                self.returncode = os.waitstatus_to_exitcode(status)
            elif time.monotonic() >= deadline:
                raise subprocess.TimeoutExpired(f"template {self.pid}", timeout)
            else:
                time.sleep(0.005)
        return self.returncode

    def kill(self) -> None:
        if self.returncode is None:
            os.kill(self.pid, signal.SIGKILL)


def _fork_template(ours: socket.socket, theirs: socket.socket) -> ForkedProcess:
    """Import torch here (once, for both processes), then fork the template: no torch operation has run
    (its threads would not survive the fork) and the caller has read no hidden material (may_fork)."""
    import torch  # noqa: F401

    from graders.core.sandbox.child import forkserver

    sys.stdout.flush()
    sys.stderr.flush()
    parent, env = os.getpid(), _clean_env()
    pid = os.fork()
    if pid == 0:
        ours.close()
        forkserver.serve_forked(theirs.detach(), parent, env)  # never returns
    return ForkedProcess(pid)


class Template:
    """A warm process that has imported torch and forks workers on request.

    `fork`: fork it from this process after importing torch here (when may_fork() allows; a fresh
    interpreter otherwise), for a caller that needs torch itself and has loaded no assignment yet."""

    def __init__(self, fork: bool = False) -> None:
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        self._control = ours
        self._lock = threading.Lock()
        self._ready = False
        self.forked = fork and may_fork()
        if self.forked:
            self.process: subprocess.Popen | ForkedProcess = _fork_template(ours, theirs)
        else:
            self.process = subprocess.Popen(
                [sys.executable, "-m", FORKSERVER, str(theirs.fileno())],
                pass_fds=[theirs.fileno()], env=_clean_env(), stdin=subprocess.DEVNULL,
                cwd="/",
            )
        theirs.close()

    def _exchange(self, message: dict[str, Any], fds: list[int] = ()) -> dict[str, Any]:
        with self._lock:
            if not self._ready:
                self._await_ready()
            socket.send_fds(self._control, [json.dumps(message).encode()], list(fds))
            data = self._control.recv(1 << 16)
        if not data:
            raise WorkerDied(_("the warm template process is gone"))
        return json.loads(data)

    def wait_ready(self) -> None:
        """Block until the template has finished its imports."""
        with self._lock:
            if not self._ready:
                self._await_ready()

    def _await_ready(self) -> None:
        data = self._control.recv(1 << 16)
        if not data:
            raise WorkerDied(_("the warm template failed to start (exit {code})").format(code=self.process.wait()))
        self._ready = True

    def spawn(self, config: WorkerConfig, log: OutputLog | None = None) -> Worker:
        """Fork a fresh, confined worker for one grading session; its stdout/stderr go to `log`."""
        log = log or OutputLog()
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            reply = self._exchange({"op": "spawn", "config": config.to_json()}, [theirs.fileno(), log.fd])
        finally:
            theirs.close()
        return Worker(self, int(reply["pid"]), ours, log)

    def kill(self, pid: int) -> dict[str, Any]:
        """Kill a worker's whole tree (its cgroup, its pid namespace) and collect its exit."""
        return self._exchange({"op": "kill", "pid": pid})

    def exit_code(self, pid: int, timeout: float = 1.0) -> int | None:
        return self.wait_exit(pid, timeout).get("code")

    def wait_exit(self, pid: int, timeout: float = 1.0) -> dict[str, Any]:
        """A finished worker's exit code and peak memory (MB), as the kernel counted them."""
        return self._exchange({"op": "wait", "pid": pid, "timeout": timeout})

    def close(self) -> None:
        self._control.close()
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def __enter__(self) -> "Template":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
