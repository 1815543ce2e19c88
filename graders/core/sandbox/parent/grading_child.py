"""Trusted children of the grader: the warm server's fork per submission, and a value computed in parallel.

It lives here because every fork of the engine does (tests/test_sandbox_layout.py):
the child is trusted (it runs no student code; its workers come from the fork
server), but nothing survives from one submission to the next, as in a cold run.
"""
from __future__ import annotations

import json
import os
from typing import Any, Callable


def run_forked(work: Callable[[], None]) -> None:
    """Run `work` in a forked child and wait for it; the child never returns into the caller."""
    pid = os.fork()
    if pid == 0:
        code = 0
        try:
            work()
        except BaseException:  # noqa: BLE001 - the child must never return into the server loop
            code = 1
        finally:
            os._exit(code)
    os.waitpid(pid, 0)


class ForkedResult:
    """A value a trusted child forked by start_forked computes while the caller goes on."""

    def __init__(self, pid: int, fd: int) -> None:
        self.pid, self.fd = pid, fd

    def result(self) -> Any:
        """The child's value (JSON data), or None when it failed; waits for it and reaps the child."""
        chunks = []
        with os.fdopen(self.fd, "rb") as pipe:
            while chunk := pipe.read(1 << 16):
                chunks.append(chunk)
        os.waitpid(self.pid, 0)
        try:
            return json.loads(b"".join(chunks)) if chunks else None
        except ValueError:
            return None


def start_forked(work: Callable[[], Any]) -> ForkedResult:
    """Run `work` (its value must be JSON data) in a forked trusted child, in parallel with the caller.

    For pure-Python work that needs no torch, started before this process imports torch (the cold
    `grade HW` checks derivations while torch imports); the pipe is not inheritable, and a template
    forked later closes it (forkserver._close_inherited)."""
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(read)
        try:
            data = json.dumps(work()).encode()
        except BaseException:  # noqa: BLE001 - the caller does the work itself
            data = b""
        try:
            _write_all(write, data)
        finally:
            os._exit(0)
    os.close(write)
    return ForkedResult(pid, read)


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]
