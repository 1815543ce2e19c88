"""The review queue: parts a person must grade, and a TA's hand-set scores and overrides (OUTDIR/reviews.csv).

A derivation handed in as a photo or PDF cannot be read by any checker here: its part goes to a person
(`needs_review`), never a silent 0. reviews.csv (student, part, points, comment, who) is the TA's file:
every rerun reads it, keeps each line as written and appends the parts newly waiting for a person.
A line with points sets that part (or test, or `*` the whole score) by hand, and always wins; a line
without points holds the part for review (a TA's flag). Applied to rows at output time: the cached
reports never change, so a rerun regrades nothing and gives the same files.
"""
from __future__ import annotations

import csv
import io
import math
import zipfile
from dataclasses import dataclass, replace
from pathlib import Path, PurePosixPath

from graders.core.batch.collect import Unit
from graders.core.batch.outputs import Row
from graders.core.batch.review_photos import PHOTO_SUFFIXES
from graders.core.formats.safe import csv_cell, formula_like, plain
from graders.core.report import Report
from graders.core.spec import Spec
from graders.errors import GradersError
from graders.i18n import Message, _, join_messages

HEADER = ("student", "part", "points", "comment", "who")
WHOLE = ("*", "total", "")


@dataclass(frozen=True)
class Review:
    """One line of reviews.csv; `points` None holds the part for a person."""

    student: str
    part: str
    points: float | None
    comment: str = ""
    who: str = ""


def read_reviews(path: Path) -> list[Review]:
    """reviews.csv as the TA left it ([] when there is none); a bad line is a clear error naming it."""
    if not path.is_file():
        return []
    rows = list(csv.DictReader(io.StringIO(path.read_bytes().decode("utf-8-sig"))))
    missing = [c for c in HEADER if rows and c not in rows[0]]
    if missing:
        raise GradersError(_("{path}: reviews need the columns {columns}").format(path=path, columns=", ".join(HEADER)))
    return [_review(path, line, row) for line, row in enumerate(rows, start=2)]


def _review(path: Path, line: int, row: dict[str, str]) -> Review:
    text = (row.get("points") or "").strip()
    try:
        points = float(text) if text else None
        if points is not None and not math.isfinite(points):
            raise ValueError(text)
    except ValueError:
        raise GradersError(_("{path} line {line}: points must be a number or blank, not {value}").format(
            path=path, line=line, value=text)) from None
    return Review(_clean(row.get("student")), _clean(row.get("part")), points, _clean(row.get("comment")),
                  _clean(row.get("who")))


def _clean(value: str | None) -> str:
    """A cell as written by `_cell` read back: one leading `'` is ours only before a formula prefix or `'`.

    So `'bob` (a name of its own) never reads as `bob`, and `=x` round-trips through `'=x`."""
    value = (value or "").strip()
    rest = value[1:]
    ours = value.startswith("'") and (rest[:1] == "'" or rest[:1].isspace() or formula_like(rest))
    return rest.strip() if ours else value


def _cell(text: str) -> str:
    """A text cell no spreadsheet runs and `_clean` reads back exactly (a leading `'` is doubled)."""
    cell = csv_cell(text)
    return "'" + cell if cell.startswith("'") and cell == plain(text) else cell


def reviews_csv(reviews: list[Review]) -> bytes:
    """reviews.csv (UTF-8 with a BOM for Excel; text cells defused)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(HEADER)
    for r in reviews:
        points = "" if r.points is None else f"{r.points:g}"
        writer.writerow([_cell(r.student), _cell(r.part), points, _cell(r.comment), _cell(r.who)])
    return buffer.getvalue().encode("utf-8-sig")


def merged(existing: list[Review], pending: list[Review]) -> list[Review]:
    """The TA's lines as they are, then the pending parts not listed yet (idempotent)."""
    known = {(r.student, r.part) for r in existing}
    return existing + [p for p in pending if (p.student, p.part) not in known]


def submitted_names(unit: Unit) -> list[str]:
    """The file names a unit holds, the members of a single zip included (names only, nothing extracted)."""
    names = list(unit.files)
    for name, data in unit.files.items():
        if name.lower().endswith(".zip"):
            try:
                with zipfile.ZipFile(io.BytesIO(data)) as archive:
                    names += archive.namelist()[:10_000]
            except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError):
                pass
    return names


def photo_parts(spec: Spec, report: Report, names: list[str]) -> dict[str, str]:
    """Derivation parts short of full marks whose work may be in a photo or PDF: part -> that file's name."""
    photos = [PurePosixPath(n).name for n in names if n.lower().endswith(PHOTO_SUFFIXES)
              and not PurePosixPath(n).name.startswith("._")]
    if not photos or report.status != "graded":
        return {}
    scores = report.parts()
    return {p.name: photos[0] for p in spec.parts
            if (p.answers or p.derivations) and scores.get(p.name, (0.0, p.points))[0] < p.points}


def pending_reviews(student: str, photos: dict[str, str]) -> list[Review]:
    """The reviews.csv lines a batch adds for parts waiting for a person (points blank)."""
    return [Review(student, part, None, _("handed in as {file}: grade it by hand").format(file=file))
            for part, file in sorted(photos.items())]


def apply_reviews(row: Row, report: Report | None, reviews: list[Review]) -> Row:
    """The row with the TA's lines applied: hand-set points win, blank points hold a part for review."""
    mine = [r for r in reviews if r.student == row.student_id and row.student_id]
    if not mine:
        return row
    if report is None:  # rejected or missing: only a whole score set by hand applies (graded by a person)
        whole = [r for r in mine if r.part in WHOLE and r.points is not None]
        return _by_hand(row, whole[-1]) if whole else row
    parts: dict[str, float | None] = dict(row.parts)
    notes: list[Message] = []
    tests = {t.name: t for t in report.tests}
    total: float | None = None
    for r in mine:
        if r.points is None:
            parts[r.part if r.part in parts else "*"] = None
            notes.append(_("{part}: needs review").format(part=r.part or "*"))
        elif r.part in WHOLE:
            total = r.points
        elif r.part in tests:
            part = tests[r.part].part
            parts[part] = round((parts.get(part) or 0.0) + r.points - tests[r.part].score, 2)
        else:
            parts[r.part] = r.points
        if r.points is not None:
            notes.append(_("{part} set by hand to {points} ({who}: {reason})").format(
                part=r.part or "*", points=f"{r.points:g}", who=r.who or "?", reason=r.comment or "?"))
    return _reviewed(row, parts, total, notes)


def _reviewed(row: Row, parts: dict[str, float | None], total: float | None, notes: list[Message]) -> Row:
    waiting = any(v is None for v in parts.values())
    score = total if total is not None else round(sum(v for k, v in parts.items() if v is not None and k != "*"), 2)
    kept = {k: v for k, v in parts.items() if k != "*"}
    return replace(row, parts=kept, score=score, status="needs_review" if waiting else row.status,
                   review=join_messages("; ", notes))


def _by_hand(row: Row, review: Review) -> Row:
    assert review.points is not None
    note = _("{part} set by hand to {points} ({who}: {reason})").format(
        part="*", points=f"{review.points:g}", who=review.who or "?", reason=review.comment or "?")
    return replace(row, score=review.points, status="graded", parts={}, review=note)
