"""Parent side of the sandbox: a warm template process and the workers it forks.

The parent never imports student code. It asks the template to fork a worker
per grading session, talks to it over a socket in the safe wire format, and
kills its whole process group when a call overruns its time budget.
"""
from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import threading
from dataclasses import asdict, dataclass, field
from typing import Any

from graders.core import protocol
from graders.core.confine import Limits
from graders.i18n import _


class WorkerFault(Exception):
    """The worker could not answer: it died, overran its time, or broke the protocol."""

    status = "error"


class WorkerTimeout(WorkerFault):
    status = "timeout"


class WorkerDied(WorkerFault):
    status = "error"


@dataclass(frozen=True)
class WorkerConfig:
    """Everything a worker needs to confine itself; plain data, sent as JSON."""

    scratch: str
    hidden: list[str]
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


class Template:
    """A warm process that has imported torch and forks workers on request."""

    def __init__(self) -> None:
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        self._control = ours
        self._lock = threading.Lock()
        self._ready = False
        self.process = subprocess.Popen(
            [sys.executable, "-m", "graders.core.template", str(theirs.fileno())],
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

    def spawn(self, config: WorkerConfig) -> "Worker":
        """Fork a fresh, confined worker for one grading session."""
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            reply = self._exchange({"op": "spawn", "config": config.to_json()}, [theirs.fileno()])
        finally:
            theirs.close()
        return Worker(self, int(reply["pid"]), ours)

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


class Worker:
    """One confined child serving one session; killed with its whole process group."""

    def __init__(self, template: Template, pid: int, sock: socket.socket) -> None:
        self.template, self.pid, self.sock = template, pid, sock
        self.alive = True
        self.peak_mb: float | None = None

    def request(self, message: dict[str, Any], timeout: float) -> dict[str, Any]:
        """Send one request and wait at most `timeout` seconds for the reply."""
        if not self.alive:
            raise WorkerDied(_("the worker is no longer running"))
        self.sock.settimeout(timeout)
        try:
            protocol.send(self.sock, message)
            return protocol.recv(self.sock)
        except socket.timeout as exc:
            self.kill()
            raise WorkerTimeout(_("no answer within {timeout} s; the worker was stopped").format(
                timeout=f"{timeout:g}")) from exc
        except (EOFError, ConnectionError, BrokenPipeError) as exc:
            raise WorkerDied(self._death_message()) from exc
        except protocol.ProtocolError as exc:
            self.kill()
            raise WorkerDied(_("the worker sent an invalid message ({error})").format(error=exc)) from exc

    def _death_message(self) -> str:
        code = self.template.exit_code(self.pid, timeout=1.0)  # it usually has exited already
        self.kill()
        if code is None:
            code = self.template.exit_code(self.pid, timeout=1.0)
        if code is None:
            return _("the worker process ended unexpectedly")
        if code < 0 or code >= 128:
            number = -code if code < 0 else code - 128
            name = signal.Signals(number).name if number in signal.valid_signals() else number
            return _("the worker process was killed by signal {signal}").format(signal=name)
        return _("the worker process exited with status {code} (did the code call exit()?)").format(code=code)

    def kill(self) -> None:
        """Kill the worker's process group (it is a session leader) and close the socket."""
        if self.alive:
            try:
                os.killpg(self.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            self.sock.close()
            self.alive = False

    def close(self) -> None:
        """End the session normally: the worker sees the socket close and exits; collect its peak memory.

        A worker that does not exit promptly is killed with its process group."""
        if not self.alive:
            return
        self.sock.close()
        self.alive = False
        try:
            info = self.template.wait_exit(self.pid, timeout=0.5)
        except (OSError, WorkerFault):
            info = {}
        self.peak_mb = info.get("peak_mb")
        if info.get("code") is None:
            try:
                os.killpg(self.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            self.template.exit_code(self.pid, timeout=2.0)
