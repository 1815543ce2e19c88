"""One `grade batch` per output folder: an advisory lock on OUTDIR/.lock.

Why: two batches writing one folder interleave their cache and outputs, and
each overwrites the other's gradebook. The second run refuses at once and names
the first one's pid. Where there is no `fcntl` (Windows) there is no lock.
"""
from __future__ import annotations

import os
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from graders.errors import OutdirBusy
from graders.i18n import _

try:
    import fcntl
except ImportError:  # pragma: no cover - non-POSIX: degrade to no lock
    fcntl = None  # type: ignore[assignment]

LOCK_NAME = ".lock"


def _holder(fd: int) -> str:
    """The pid the running batch wrote into the lock file, or '?'."""
    os.lseek(fd, 0, os.SEEK_SET)
    text = os.read(fd, 32).decode("ascii", "replace").strip()
    return text if text.isdigit() else "?"


@contextmanager
def outdir_lock(outdir: Path) -> Iterator[None]:
    """Hold OUTDIR/.lock for the block; raise OutdirBusy when another process holds it."""
    if fcntl is None:
        yield
        return
    fd = os.open(outdir / LOCK_NAME, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise OutdirBusy(_("{outdir} is in use by another `grade batch` (pid {pid}); wait for it to finish "
                               "or give this run another -o folder").format(outdir=outdir, pid=_holder(fd))) from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        yield
    finally:
        os.close(fd)  # closing releases the lock; the file stays (removing it would race a third run)
