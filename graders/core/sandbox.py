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
import tempfile
import threading
import time
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

    def spawn(self, config: WorkerConfig, log: "OutputLog | None" = None) -> "Worker":
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


class OutputLog:
    """The file a worker's stdout and stderr go to: created and held by the parent, with no path.

    The worker gets a descriptor, so student code cannot swap the file for a symlink,
    a FIFO or a device; the parent reads a bounded tail by offset."""

    TAIL_BYTES = 4096

    def __init__(self) -> None:
        if hasattr(os, "memfd_create"):
            self.fd = os.memfd_create("graders-output", os.MFD_CLOEXEC)
        else:  # pragma: no cover - non-Linux hosts
            self._file = tempfile.TemporaryFile()
            self.fd = self._file.fileno()

    def tail(self, lines: int = 5) -> list[str]:
        """The last lines written, control characters removed (the text is the student's)."""
        size = os.fstat(self.fd).st_size
        raw = os.pread(self.fd, self.TAIL_BYTES, max(0, size - self.TAIL_BYTES))
        text = raw.decode("utf-8", errors="replace")
        text = "".join(c for c in text if c in "\n\t" or (c.isprintable()))
        return [line for line in text.strip().splitlines()][-lines:]

    def close(self) -> None:
        try:
            os.close(self.fd)
        except OSError:
            pass


class Worker:
    """One confined child serving one session; its whole tree is killed through the template."""

    def __init__(self, template: Template, pid: int, sock: socket.socket, log: OutputLog) -> None:
        self.template, self.pid, self.sock, self.log = template, pid, sock, log
        self.alive = True
        self.peak_mb: float | None = None
        self.confinement: dict[str, list[str]] | None = None
        self._kill_lock = threading.Lock()
        self._reaped = False

    def _hello(self, deadline: float) -> None:
        """The worker's first frame, sent after confining itself and before any student code ran."""
        hello = protocol.recv(self.sock, deadline)
        info = hello.get("confinement") if isinstance(hello, dict) else None
        if not isinstance(info, dict):
            raise protocol.ProtocolError("no confinement report")
        self.confinement = {k: [str(x) for x in info.get(k, [])][:50] for k in ("applied", "missing")}

    def request(self, message: dict[str, Any], timeout: float) -> dict[str, Any]:
        """Send one request; the reply must be complete within `timeout` seconds, however it trickles in."""
        if not self.alive:
            raise WorkerDied(_("the worker is no longer running"))
        deadline = time.monotonic() + timeout
        watchdog = threading.Timer(timeout + 1.0, self.kill)  # whatever happens to this thread
        watchdog.daemon = True
        watchdog.start()
        try:
            if self.confinement is None:
                self._hello(deadline)
            protocol.send(self.sock, message, deadline)
            reply = protocol.recv(self.sock, deadline)
            if not isinstance(reply, dict):
                raise protocol.ProtocolError("a reply must be a map")
            return reply
        except socket.timeout as exc:
            self.kill()
            raise WorkerTimeout(_("no answer within {timeout} s; the worker was stopped").format(
                timeout=f"{timeout:g}")) from exc
        except (EOFError, ConnectionError, BrokenPipeError, OSError) as exc:
            if not self.alive:  # the watchdog stopped it
                raise WorkerTimeout(_("no answer within {timeout} s; the worker was stopped").format(
                    timeout=f"{timeout:g}")) from exc
            raise WorkerDied(self._death_message()) from exc
        except protocol.ProtocolError as exc:
            self.kill()
            raise WorkerDied(_("the worker sent an invalid message ({error})").format(error=exc)) from exc
        finally:
            watchdog.cancel()

    def _death_message(self) -> str:
        info = self.template.wait_exit(self.pid, timeout=1.0)  # it usually has exited already
        if info.get("code") is None:
            info = self.kill()
        else:
            self._mark_dead(reaped=True)
        code = info.get("code")
        if code is None:
            return _("the worker process ended unexpectedly")
        if code < 0 or code >= 128:
            number = -code if code < 0 else code - 128
            name = signal.Signals(number).name if number in signal.valid_signals() else number
            return _("the worker process was killed by signal {signal}").format(signal=name)
        return _("the worker process exited with status {code} (did the code call exit()?)").format(code=code)

    def _mark_dead(self, reaped: bool = False) -> bool:
        """Stop using the socket (waking a blocked recv); True for the caller that must reap it."""
        with self._kill_lock:
            if self.alive:
                self.alive = False
                try:
                    self.sock.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
                self.sock.close()
            must_reap = not self._reaped and not reaped
            self._reaped = True
            return must_reap

    def kill(self) -> dict[str, Any]:
        """Kill the worker's whole tree: the trusted child (its pid namespace init dies with it)
        and its cgroups; student code can patch nothing on this path. Returns its exit status."""
        must_reap = self._mark_dead()
        try:
            os.kill(self.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        if not must_reap:
            return {}
        try:
            return self.template.kill(self.pid)
        except (OSError, WorkerFault):
            return {}

    def close(self) -> None:
        """End the session normally: the worker sees the socket close and exits; collect its peak memory.

        A worker that does not exit promptly is killed with its whole tree."""
        if not self.alive:
            self.log.close()
            return
        with self._kill_lock:
            self.alive = False
            self.sock.close()
        try:
            info = self.template.wait_exit(self.pid, timeout=0.5)
        except (OSError, WorkerFault):
            info = {}
        if info.get("code") is None:
            info = self.kill()
        else:
            self._mark_dead(reaped=True)
        self.peak_mb = info.get("peak_mb")
        self.log.close()
