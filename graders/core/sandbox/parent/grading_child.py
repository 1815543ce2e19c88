"""A trusted child forked from the warm grading server, to grade one submission and exit.

It lives here because every fork of the engine does (tests/test_sandbox_layout.py):
the child is trusted (it runs no student code; its workers come from the fork
server), but nothing survives from one submission to the next, as in a cold run.
"""
from __future__ import annotations

import os
from typing import Callable


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
