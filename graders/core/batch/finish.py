"""A batch's last step before writing: roster names, the review queue, the late policy, the LMS files.

Runs on rows built from cached reports, so nothing here regrades; its files (reviews.csv merged with
the TA's lines, <lms>_import.csv) join the batch's all-or-nothing write.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from graders.core.batch.adjust import Policy, late_row, lms_grades, roster_named
from graders.core.batch.lms import Roster, lms_files
from graders.core.batch.log import BatchLog
from graders.core.batch.outputs import Row, name_clash
from graders.core.batch.plan import Plan
from graders.core.batch.reviews import (Review, apply_reviews, merged, pending_reviews, photo_parts, read_reviews,
                                        reviews_csv, submitted_names)
from graders.core.batch.times import submitted_at
from graders.core.report import Report
from graders.core.spec import Spec
from graders.i18n import Message, Renderer, _, join_messages


@dataclass(frozen=True)
class BatchOptions:
    """The options of `grade` a batch takes (recorded in the summary), and the TA's policy."""

    public_only: bool | None = None
    device: str = "cpu"
    timeout: float | None = None
    data: Path | None = None
    policy: Policy = field(default_factory=Policy)
    verbose: bool = False

    def grading(self) -> dict[str, Any]:
        """Keyword arguments of Grader.grade."""
        return {"public_only": self.public_only, "device": self.device, "time_limit_s": self.timeout,
                "data": str(self.data) if self.data else None}

    def cache_tag(self) -> str:
        """'' for the defaults, else a hash of the options (and the data file's bytes): another cache key."""
        if self.public_only is None and self.device == "cpu" and self.timeout is None and self.data is None:
            return ""
        data = hashlib.sha256(self.data.read_bytes()).hexdigest() if self.data else ""
        text = json.dumps([self.public_only, self.device, self.timeout, data])
        return "-" + hashlib.sha256(text.encode()).hexdigest()[:8]

    def summary_line(self) -> Message:
        return _("Options: device {device}, time limit {timeout}, public tests only: {public}, data: {data}.").format(
            device=self.device, timeout=f"{self.timeout:g} s" if self.timeout else "-",
            public=str(bool(self.public_only)).lower(), data=self.data.name if self.data else "-")


@dataclass(frozen=True)
class Finished:
    rows: list[tuple[Row, Report | None]]
    files: dict[Path, bytes]


def finish(spec: Spec, plan: Plan, rows: list[tuple[Row, Report | None]], roster: Roster, options: BatchOptions,
           outdir: Path, tr: Renderer, log: BatchLog) -> Finished:
    """Rows with names, reviews and penalties applied, and the files that go with them."""
    policy = options.policy
    units = {p.unit.entry: p for p in plan.graded}
    pending = []
    for row, report in rows:
        planned = units.get(row.file)
        if report is not None and planned is not None:
            photos = photo_parts(spec, report, submitted_names(planned.unit))
            pending += pending_reviews(row.student_id, {k: v for k, v in photos.items()})
    reviews = merged(read_reviews(outdir / "reviews.csv"), pending + _name_clashes(plan, log))
    _warn_unknown(reviews, rows, log)
    out = []
    for row, report in rows:
        planned = units.get(row.file)
        identity = planned.identity if planned else None
        when = submitted_at(identity, planned.unit) if identity and policy.late else None
        row = late_row(apply_reviews(roster_named(row, roster), report, reviews), policy, roster, identity, when)
        out.append((row, report))
    files = {outdir / "reviews.csv": reviews_csv(reviews)} if reviews else {}
    grades = lms_grades([r for r, _rep in out], roster, policy, tr)
    files |= lms_files(grades, policy.column, policy.exports, outdir)
    return Finished(out, files)


def _name_clashes(plan: Plan, log: BatchLog) -> list[Review]:
    """A whole-score hold (reviews.csv `*`, no points) for each student whose attempts carry different names.

    Whose work the newest attempt is, a person decides: a student's name typed twice, or another student's
    upload under this id. Until a TA sets the points on that line, the LMS files leave the grade blank."""
    held = []
    for planned in plan.graded:
        if planned.names:
            clash = name_clash(planned.names)
            log.warning(join_messages(": ", [planned.unit.entry, clash]))
            held.append(Review(planned.identity.student_id, "*", None, clash))
    return held


def _warn_unknown(reviews: list, rows: list[tuple[Row, Report | None]], log: BatchLog) -> None:
    known = {row.student_id for row, _rep in rows}
    for review in reviews:
        if review.student not in known:
            log.warning(_("reviews.csv names a student not in this batch: {student}").format(student=review.student))
