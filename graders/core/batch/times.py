"""When each entry of a download was handed in, for the late policy (reads the inputs' metadata only).

In order: the time in a Blackboard name (`_attempt_2026-12-26-21-59-03`); else the modification time
the download stores for the entry (a zip member's date and time, as the LMS wrote it, no time zone);
else, for a folder input, the file's or the folder's newest modification time on disk.
"""
from __future__ import annotations

import zipfile
from datetime import datetime
from pathlib import Path, PurePosixPath

from graders.core.archive import decode_name
from graders.core.batch.layouts import Identity


def entry_times(inputs: list[Path]) -> dict[str, datetime]:
    """Top-level entry name -> the newest modification time stored for it (best effort, never raises)."""
    times: dict[str, datetime] = {}
    for path in inputs:
        try:
            found = _zip_times(path) if path.is_file() and path.suffix.lower() == ".zip" else _disk_times(path)
        except (OSError, zipfile.BadZipFile, ValueError):
            continue
        for name, when in found.items():
            times[name] = max(when, times.get(name, when))
    return times


def _zip_times(path: Path) -> dict[str, datetime]:
    times: dict[str, datetime] = {}
    with zipfile.ZipFile(path) as archive:
        for info in archive.infolist():
            when = datetime(*info.date_time)
            for part in PurePosixPath(decode_name(info)).parts:  # the entry may sit under a wrapper folder
                times[part] = max(when, times.get(part, when))
    return times


def _disk_times(path: Path) -> dict[str, datetime]:
    children = sorted(path.iterdir()) if path.is_dir() else [path]
    times = {}
    for child in children:
        if child.is_symlink():
            continue
        stamps = [p.stat().st_mtime for p in ([child] + (list(child.rglob("*")) if child.is_dir() else []))
                  if p.is_file() and not p.is_symlink()] or [child.stat().st_mtime]
        times[child.name] = datetime.fromtimestamp(max(stamps))
    return times


def submitted_at(identity: Identity, entry: str, times: dict[str, datetime]) -> datetime | None:
    """The submission time of one entry: the Blackboard name's, else the download's record of it."""
    if identity.layout == "blackboard" and identity.attempt:
        try:
            return datetime.fromisoformat(identity.attempt)
        except ValueError:
            pass
    return times.get(entry.rstrip("/"))


def read_extensions(path: Path) -> dict[str, str]:
    """Student id -> a new due date or extra time, from a CSV with a student column and a due/extension column."""
    import csv
    import io

    from graders.errors import GradersError
    from graders.i18n import _

    rows = list(csv.DictReader(io.StringIO(path.read_bytes().decode("utf-8-sig"))))
    lowered = [{(k or "").strip().lower(): (v or "").strip() for k, v in r.items() if isinstance(v, str)} for r in rows]
    ids = ("student", "student_id", "id", "学号", "username", "sis user id")
    dues = ("due", "extension", "extended_due", "延期")
    if rows and not (any(c in lowered[0] for c in ids) and any(c in lowered[0] for c in dues)):
        raise GradersError(_("{path}: extensions need a student column (student, id or 学号) and a due column "
                             "(due or extension)").format(path=path))
    out = {}
    for r in lowered:
        student = next((r[c] for c in ids if r.get(c)), "")
        due = next((r[c] for c in dues if r.get(c)), "")
        if student and due:
            out[student] = due
    return out
