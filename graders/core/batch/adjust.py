"""What a TA decides after grading, applied to the gradebook rows at output time (pure).

Roster names win over download names, reviews.csv's hand-set scores and held parts, the late policy
(score before and after the penalty), and the LMS lines. The cached reports are never changed:
a rerun with the same inputs, reviews and policy writes the same files and regrades nothing.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime

from graders.core.batch.late import LatePolicy, assess, extended_due, penalised
from graders.core.batch.layouts import Identity
from graders.core.batch.lms import ID_COLUMNS, Column, Grade, Roster
from graders.core.batch.outputs import Row
from graders.i18n import Message, Renderer, _, join_messages


@dataclass(frozen=True)
class Policy:
    """Late rules, extensions (student id -> due date or extra time), LMS files and their column."""

    late: LatePolicy | None = None
    extensions: dict[str, str] = field(default_factory=dict)
    exports: tuple[str, ...] = ()
    column: Column = Column("")
    missing_as_zero: bool = False


def roster_named(row: Row, roster: Roster) -> Row:
    """The roster's name for the student, when the roster lists them (it wins over the download's)."""
    record = roster.find(row.student_id)
    name = roster.name(record) if record else ""
    return replace(row, name=name) if name and name != row.name else row


def _extension(row: Row, policy: Policy, roster: Roster) -> datetime | None:
    """The student's extended due date: by any of their ids, never by a name (a name can look like an id)."""
    assert policy.late is not None
    record = roster.find(row.student_id) or {}
    ids = {row.student_id, *(v for k, v in record.items() if v and k.strip().lower() in ID_COLUMNS)}
    value = next((policy.extensions[i] for i in ids if i in policy.extensions), "")
    value = value or next((v for k, v in record.items() if k.strip().lower() in ("extension", "due", "延期") and v), "")
    return extended_due(policy.late, value) if value else None


def late_row(row: Row, policy: Policy, roster: Roster, identity: Identity | None, when: datetime | None) -> Row:
    """The row with the late penalty applied: raw score, penalty and final score, and the time used."""
    if policy.late is None or row.status in ("missing", "rejected"):
        return row
    lateness = assess(policy.late, when, due=_extension(row, policy, roster),
                      marked_late=bool(identity and identity.late))
    penalty, final = penalised(row.score, row.max_score, lateness) if lateness.late else (0.0, row.score)
    stamp = when.isoformat(sep=" ", timespec="minutes") if when else ""
    return replace(row, raw_score=row.score, penalty=penalty, score=final, late=lateness.late, submitted=stamp)


def comment(row: Row, tr: Renderer) -> str:
    """The feedback comment of an LMS line: penalty, review notes, why there is no grade."""
    notes: list[Message] = []
    if row.status in ("missing", "rejected"):
        notes.append(_("no grade: {reason}").format(reason=row.message))
    if row.status == "needs_review":
        notes.append(_("no grade yet: part of this submission waits for a person"))
    if row.penalty:
        notes.append(_("late: {raw} before the penalty, -{penalty}, {final} after").format(
            raw=f"{row.raw_score:g}", penalty=f"{row.penalty:g}", final=f"{row.score:g}"))
    if row.review:
        notes.append(row.review)
    return tr(join_messages("; ", notes))


def lms_grades(rows: list[Row], roster: Roster, policy: Policy, tr: Renderer) -> list[Grade]:
    """One LMS line per student row (rows without a student id cannot be uploaded and are left out)."""
    grades = []
    for row in rows:
        if not row.student_id:
            continue
        blank = row.status in ("missing", "rejected", "error", "timeout", "needs_review")
        grade = (0.0 if policy.missing_as_zero and row.status != "needs_review" else None) if blank else row.score
        grades.append(Grade(row.student_id, row.name, grade, row.max_score, tr(_status(row.status)),
                            comment(row, tr), roster.find(row.student_id) or {}))
    return grades


def _status(status: str) -> Message:
    from graders.core.formats._common import STATUS_LABELS

    return _(STATUS_LABELS.get(status, status))


def own_names(message: str, staged: str, entry: str) -> str:
    """The message with the staging folder's name (a hash) replaced by the student's own entry name."""
    if not staged or staged not in message:
        return message
    if not isinstance(message, Message):
        return message.replace(staged, entry)
    if message.parts is not None:
        return Message.joined(message.sep, [own_names(p, staged, entry) for p in message.parts])
    params = {k: own_names(v, staged, entry) if isinstance(v, str) else v for k, v in (message.params or {}).items()}
    return Message(message.msgid, params, message.plural, message.n)
