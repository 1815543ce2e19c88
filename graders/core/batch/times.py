"""When each entry of a download was handed in, for the late policy, and the extensions file.

In order: the time in a Blackboard name (`_attempt_2026-12-26-21-59-03`); else the newest modification
time the download stores for the entry's own files (a zip member's date and time, as the LMS wrote it, no
time zone; for a folder input, the files' times on disk), recorded by collect.
"""
from __future__ import annotations

from datetime import datetime
from pathlib import Path

from graders.core.batch.collect import Unit
from graders.core.batch.layouts import Identity


def submitted_at(identity: Identity, unit: Unit) -> datetime | None:
    """The submission time of one entry: the Blackboard name's, else the download's record of the entry's own files.

    Only the entry's own files count (collect records them): a student cannot date another student's entry
    by planting a file named like it."""
    if identity.layout == "blackboard" and identity.attempt:
        try:
            return datetime.fromisoformat(identity.attempt)
        except ValueError:
            pass
    return unit.modified


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
