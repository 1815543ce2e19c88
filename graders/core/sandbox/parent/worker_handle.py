"""Parent side of the sandbox: one worker seen from the parent, and the file its output goes to.

A `Worker` talks to its confined child over a socket in the safe wire format and
kills its whole tree (through the fork server) when a call overruns its time budget.
"""
from __future__ import annotations

import os
import signal
import socket
import tempfile
import threading
import time
from typing import TYPE_CHECKING, Any

from graders.core.sandbox.wire import protocol
from graders.errors import WorkerDied, WorkerFault, WorkerTimeout
from graders.i18n import _

if TYPE_CHECKING:
    from graders.core.sandbox.parent.forkserver_client import Template


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
        except (socket.timeout, EOFError, ConnectionError, OSError) as exc:
            if isinstance(exc, socket.timeout) or not self.alive:  # past the deadline, or the watchdog stopped it
                self.kill()
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
        if not self._mark_dead():
            return {}  # already reaped: the pid may belong to another process by now
        try:
            os.kill(self.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
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
