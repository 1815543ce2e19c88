"""Write output files whole or not at all: a temp file in the same folder, then os.replace.

Why: a TA's disk can fill up (or a quota run out) while a batch writes its
outputs. A gradebook cut off half-way looks like a short class; the previous
one, intact, is what a TA needs. `write_files` first writes every file of a
batch to temp files, then renames them all, so a failure leaves the previous
outputs untouched and no temp file behind.
"""
from __future__ import annotations

import os
import tempfile
from contextlib import suppress
from pathlib import Path

from graders.errors import OutputError
from graders.i18n import _


def _temp_copy(path: Path, data: bytes) -> Path:
    """`data` in a new temp file beside `path` (flushed to disk, where space is really allocated)."""
    fd, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
    except BaseException:
        with suppress(OSError):
            os.unlink(name)
        raise
    return Path(name)


def _error(path: Path, exc: OSError) -> OutputError:
    return OutputError(_("cannot write {path}: {reason}. Nothing was half-written: the previous outputs are intact. "
                         "Free some space (or fix the folder's permissions) and run the same command again; "
                         "finished reports are cached in the output folder and are not graded twice.").format(
        path=path, reason=exc.strerror or exc))


def write_files(files: dict[Path, bytes]) -> None:
    """Write every file atomically, all temp files before any rename; OSError becomes an OutputError."""
    staged: list[tuple[Path, Path]] = []
    current = next(iter(files), Path("."))
    try:
        for current, data in files.items():
            current.parent.mkdir(parents=True, exist_ok=True)
            staged.append((_temp_copy(current, data), current))
        for temp, current in staged:
            os.replace(temp, current)
    except OSError as exc:
        raise _error(current, exc) from exc
    finally:
        for temp, _target in staged:
            with suppress(FileNotFoundError):
                os.unlink(temp)


def atomic_write(path: Path, data: str | bytes) -> None:
    """One file written whole or not at all (text as UTF-8)."""
    write_files({path: data.encode("utf-8") if isinstance(data, str) else data})
