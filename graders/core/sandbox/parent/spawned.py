"""Parent side of the sandbox on hosts without Linux confinement (Windows, macOS): a spawned worker per session.

Why: the fork server needs `fork`, `resource`, Unix sockets that pass descriptors,
namespaces and Landlock. A student checking their own code on their own laptop
still needs the rest of the boundary: student code in another process, plain
values over the wire, a deadline per call with the process killed past it, a fault
costing one part. SpawnedTemplate has Template's interface; each worker is a fresh
`python -m graders.core.sandbox.child.spawned` that connects back over TCP on
127.0.0.1 and proves itself with a one-time token. The worker's hello lists the
protections that are off, and the report's notes say so. Hidden suites are not
graded this way unless forced (graders.core.grader).
"""
from __future__ import annotations

import hmac
import importlib.util
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
from typing import Any

from graders.core.sandbox.parent.forkserver_client import WorkerConfig, _clean_env
from graders.core.sandbox.parent.worker_handle import OutputLog, Worker
from graders.core.sandbox.wire import framing
from graders.errors import WorkerDied
from graders.i18n import _

CHILD = "graders.core.sandbox.child.spawned"
STARTUP_S = 120.0  # a cold `import torch` on a laptop can take tens of seconds
ENV_MODE = "GRADERS_SANDBOX"  # "spawned" forces this mode (tests, or a Linux host without confinement)


def needs_spawned_workers() -> bool:
    """True where the fork server cannot run: not Linux, or no fork, resource or descriptor passing."""
    if os.environ.get(ENV_MODE) == "spawned":
        return True
    return (sys.platform != "linux" or not hasattr(os, "fork") or importlib.util.find_spec("resource") is None
            or not hasattr(socket, "send_fds") or not hasattr(socket, "AF_UNIX"))


class SpawnedLog(OutputLog):
    """The worker's stdout/stderr: an unnamed temporary file the parent holds, read without os.pread."""

    def __init__(self) -> None:
        self._file = tempfile.TemporaryFile()
        self.fd = self._file.fileno()

    def tail(self, lines: int = 5) -> list[str]:
        self._file.seek(0, os.SEEK_END)
        size = self._file.tell()
        self._file.seek(max(0, size - self.TAIL_BYTES))
        text = self._file.read(self.TAIL_BYTES).decode("utf-8", errors="replace")
        text = "".join(c for c in text if c in "\n\t" or c.isprintable())
        return text.strip().splitlines()[-lines:]

    def close(self) -> None:
        self._file.close()


class SpawnedWorker(Worker):
    """A Worker whose kill goes through the process handle (no SIGKILL on Windows)."""

    def kill(self) -> dict[str, Any]:
        if not self._mark_dead():
            return {}
        return self.template.kill(self.pid)


class SpawnedTemplate:
    """Template's interface without a fork server: nothing is warm, each worker imports torch itself."""

    def __init__(self) -> None:
        self._processes: dict[int, subprocess.Popen] = {}

    def wait_ready(self) -> None:
        """Nothing to wait for: workers start on demand."""

    def spawn(self, config: WorkerConfig, log: OutputLog | None = None) -> Worker:
        """Start one worker for one session; its output goes to `log`."""
        log = log if isinstance(log, SpawnedLog) else SpawnedLog()
        token = secrets.token_hex(16)
        with socket.create_server(("127.0.0.1", 0)) as listener:
            process = self._start(listener.getsockname()[1], config, log)
            self._send_config(process, token, config)
            sock = self._accept(listener, token, process)
        return SpawnedWorker(self, process.pid, sock, log)

    def _start(self, port: int, config: WorkerConfig, log: SpawnedLog) -> subprocess.Popen:
        options: dict[str, Any] = {"start_new_session": True} if os.name == "posix" else {
            "creationflags": getattr(subprocess, "CREATE_NEW_PROCESS_GROUP", 0)}
        env = {**os.environ, **_clean_env()} if os.name == "nt" else _clean_env()  # Windows needs SYSTEMROOT
        process = subprocess.Popen([sys.executable, "-m", CHILD, "127.0.0.1", str(port)], stdin=subprocess.PIPE,
                                   stdout=log.fd, stderr=log.fd, env=env, cwd=config.scratch, **options)
        self._processes[process.pid] = process
        return process

    @staticmethod
    def _send_config(process: subprocess.Popen, token: str, config: WorkerConfig) -> None:
        try:
            process.stdin.write(json.dumps({"token": token, "config": config.to_json()}).encode())
            process.stdin.close()
        except OSError:  # it died already: _accept reports it
            pass

    def _accept(self, listener: socket.socket, token: str, process: subprocess.Popen) -> socket.socket:
        """The worker's connection, once it shows the token (anything else connecting is dropped)."""
        deadline = time.monotonic() + STARTUP_S
        while time.monotonic() < deadline and process.poll() is None:
            listener.settimeout(min(1.0, max(0.01, deadline - time.monotonic())))
            try:
                sock, _address = listener.accept()
            except (socket.timeout, OSError):
                continue
            try:
                shown = framing.recv_frame(sock, time.monotonic() + 5.0)
            except (OSError, EOFError, ValueError, framing.FrameError):
                sock.close()
                continue
            if hmac.compare_digest(shown, token.encode()):
                return sock
            sock.close()
        self.kill(process.pid)
        raise WorkerDied(_("the worker process did not start (exit {code})").format(code=process.poll()))

    def kill(self, pid: int) -> dict[str, Any]:
        """Kill a worker (its process group on POSIX) and collect its exit code."""
        process = self._processes.pop(pid, None)
        if process is None:
            return {}
        try:
            if os.name == "posix":
                os.killpg(process.pid, signal.SIGKILL)
            else:
                process.kill()
        except OSError:
            pass
        return {"code": process.wait(), "peak_mb": None}

    def exit_code(self, pid: int, timeout: float = 1.0) -> int | None:
        return self.wait_exit(pid, timeout).get("code")

    def wait_exit(self, pid: int, timeout: float = 1.0) -> dict[str, Any]:
        """A finished worker's exit code ({} if it is still running after `timeout`)."""
        process = self._processes.get(pid)
        if process is None:
            return {}
        try:
            code = process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            return {}
        self._processes.pop(pid, None)
        return {"code": code, "peak_mb": None}

    def close(self) -> None:
        for pid in list(self._processes):
            self.kill(pid)

    def __enter__(self) -> "SpawnedTemplate":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
