"""Grade import files for Canvas, Moodle and Blackboard, and the roster that supplies their identifiers.

Formats, as each LMS documents its import:
- Canvas (Grades > Import): `Student, ID, SIS User ID, SIS Login ID, Section, <Assignment> (<assignment id>)`;
  a blank cell leaves the grade unchanged; no comment column.
- Moodle (assignment > "Upload grading worksheet", the offline grading worksheet): `Identifier`
  (`Participant <id>`), `Full name`, `Email address`, `Status`, `Grade`, `Maximum Grade`,
  `Grade can be changed`, `Last modified (submission)`, `Last modified (grade)`, `Feedback comments`.
- Blackboard Grade Center (Work Offline > Upload): every field quoted, `Last Name, First Name, Username,
  Student ID`, the column `<name> [Total Pts: <max> Score] |<column id>`, then `Grading Notes, Notes Format,
  Feedback to Learner, Feedback Format`; the student is matched by `Username`.
A grade that is not a real score (missing, rejected, waiting for a person) is a blank cell, never 0.
Every text cell goes through csv_cell: nothing a student named can run as a spreadsheet formula.
"""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

from graders.core.formats.safe import csv_cell
from graders.errors import GradersError
from graders.i18n import _

EXPORTS = ("csv", "canvas", "moodle", "blackboard")

# Roster columns that may hold the id a download names a student by (Canvas user id, Moodle participant
# number, Blackboard username, the school's student number), lower-cased.
ID_COLUMNS = ("id", "student_id", "学号", "sis user id", "sis login id", "identifier", "username", "student id",
              "user id", "participant")
NAME_COLUMNS = ("name", "姓名", "student", "full name")


@dataclass(frozen=True)
class Roster:
    """The students a course expects: one record (column -> value) per student, found by any of its ids."""

    records: tuple[dict[str, str], ...] = ()
    index: dict[str, int] = field(default_factory=dict)

    def find(self, student_id: str) -> dict[str, str] | None:
        """The roster record of a student id from a download (or None)."""
        at = self.index.get(_norm_id(student_id))
        return self.records[at] if at is not None else None

    def name(self, record: dict[str, str]) -> str:
        """The student's name as the roster writes it ('' when it has none)."""
        value = _get(record, NAME_COLUMNS)
        if not value and (_get(record, ("first name",)) or _get(record, ("last name",))):
            value = " ".join(p for p in (_get(record, ("first name",)), _get(record, ("last name",))) if p)
        return value

    def key(self, record: dict[str, str]) -> str:
        """The id a student is listed under in the gradebook: the first id column the roster has."""
        for column in ID_COLUMNS:
            value = _get(record, (column,))
            if value:
                return _norm_id(value)
        return ""


def _norm_id(value: str) -> str:
    value = value.strip()
    return value[len("participant"):].strip() if value.lower().startswith("participant") else value


def _get(record: dict[str, str], columns: tuple[str, ...]) -> str:
    lowered = {k.strip().lower(): v for k, v in record.items() if k}
    return next((lowered[c].strip() for c in columns if lowered.get(c, "").strip()), "")


def read_roster(path: Path) -> Roster:
    """A roster CSV: ours (id, name), or an LMS export (Canvas gradebook, Moodle worksheet, Blackboard)."""
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        text = path.read_bytes().decode("gbk", errors="replace")
    rows = [r for r in csv.DictReader(io.StringIO(text)) if any((v or "").strip() for v in r.values())]
    header = {(h or "").strip().lower() for h in (rows[0].keys() if rows else _header(text))}
    if not header & set(ID_COLUMNS):
        raise GradersError(_("{path}: the roster needs a column named id, student_id or 学号").format(path=path))
    records = [{(k or "").strip(): (v or "").strip() for k, v in r.items() if isinstance(v, str)} for r in rows]
    records = [r for r in records if "points possible" not in _get(r, ("student",)).lower()]  # Canvas's 2nd row
    return Roster(tuple(records), _index(records))


def _index(records: list[dict[str, str]]) -> dict[str, int]:
    """Id -> record, column by column in ID_COLUMNS' order: an LMS's own id (Canvas `ID`) is matched before
    another record's secondary id (a `SIS User ID` that happens to equal it), so no student takes another's row."""
    index: dict[str, int] = {}
    for column in ID_COLUMNS:
        for at, record in enumerate(records):
            value = _get(record, (column,))
            if value:
                index.setdefault(_norm_id(value), at)
    return index


def ambiguous_ids(roster: Roster) -> list[str]:
    """Ids that more than one roster record lists (in any id column): matched by column priority, worth a look."""
    owners: dict[str, set[int]] = {}
    for at, record in enumerate(roster.records):
        for column in ID_COLUMNS:
            value = _get(record, (column,))
            if value:
                owners.setdefault(_norm_id(value), set()).add(at)
    return sorted(i for i, ats in owners.items() if len(ats) > 1)


def _header(text: str) -> list[str]:
    return next(csv.reader(io.StringIO(text)), [])


@dataclass(frozen=True)
class Grade:
    """One student's line in an LMS file: the final grade (None: leave blank) and a short comment."""

    student_id: str
    name: str
    grade: float | None
    max_score: float
    status: str
    comment: str
    record: dict[str, str] = field(default_factory=dict)

    def col(self, *columns: str) -> str:
        return _get(self.record, columns)


@dataclass(frozen=True)
class Column:
    """The LMS's gradebook column: its name and its id (Canvas assignment id, Blackboard column id)."""

    name: str
    ident: str = ""


class _Number(str):
    """A cell we formatted from a float: written as is (a hand-set -2 stays a number, not the text '-2)."""


def _number(value: float | None) -> str:
    return _Number("" if value is None else f"{float(value):.2f}".rstrip("0").rstrip("."))


def _write(header: list[str], rows: list[list[str]], quote_all: bool = False) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, quoting=csv.QUOTE_ALL if quote_all else csv.QUOTE_MINIMAL, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows([[c if isinstance(c, _Number) else csv_cell(c) for c in row] for row in rows])
    return buffer.getvalue().encode("utf-8")


def canvas_csv(grades: list[Grade], column: Column) -> bytes:
    """Canvas gradebook import: the student by Canvas ID (or SIS ids), the score in `Name (id)`."""
    title = f"{column.name} ({column.ident})" if column.ident else column.name
    header = ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", title]
    rows = [[g.col("student") or g.name, g.col("id") or g.student_id, g.col("sis user id", "student_id", "学号"),
             g.col("sis login id"), g.col("section"), _number(g.grade)] for g in grades]
    return _write(header, rows)


MOODLE_HEADER = ["Identifier", "Full name", "Email address", "Status", "Grade", "Maximum Grade",
                 "Grade can be changed", "Last modified (submission)", "Last modified (grade)", "Feedback comments"]


def moodle_csv(grades: list[Grade], column: Column) -> bytes:
    """Moodle's offline grading worksheet: `Participant <id>`, the grade, the feedback comment."""
    rows = [[g.col("identifier") or f"Participant {g.student_id}", g.col("full name") or g.name,
             g.col("email address", "email"), g.status, _number(g.grade), _number(g.max_score), "Yes",
             g.col("last modified (submission)"), "", g.comment] for g in grades]
    return _write(MOODLE_HEADER, rows)


def blackboard_csv(grades: list[Grade], column: Column) -> bytes:
    """Blackboard Grade Center upload: matched by Username; the column by its `|id`; every field quoted."""
    title = f"{column.name} [Total Pts: {_number(column_max(grades))} Score]"
    title += f" |{column.ident}" if column.ident else ""
    header = ["Last Name", "First Name", "Username", "Student ID", title, "Grading Notes", "Notes Format",
              "Feedback to Learner", "Feedback Format"]
    rows = [[g.col("last name") or g.name, g.col("first name"), g.col("username") or g.student_id,
             g.col("student id", "sis user id", "student_id", "学号"), _number(g.grade), "", "",
             g.comment, "SMART_TEXT"] for g in grades]
    return _write(header, rows, quote_all=True)


def column_max(grades: list[Grade]) -> float:
    return max((g.max_score for g in grades), default=100.0)


WRITERS = {"canvas": canvas_csv, "moodle": moodle_csv, "blackboard": blackboard_csv}


def lms_files(grades: list[Grade], column: Column, exports: tuple[str, ...], outdir: Path) -> dict[Path, bytes]:
    """OUTDIR/<lms>_import.csv for each LMS asked for (by path, for an all-or-nothing write)."""
    return {outdir / f"{lms}_import.csv": WRITERS[lms](grades, column) for lms in exports if lms in WRITERS}
