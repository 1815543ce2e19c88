"""A batch's inputs -> one Profile per student, through the batch's own collecting and naming.

The same inputs as `grade batch` (folders, LMS downloads, zips of zips) are
collected, identified by the layout parser and reduced to each student's newest
attempt (batch/collect.py, batch/plan.py); each unit is read like a graded
submission (submission.py: nested folders, zips, notebooks' code cells). Nothing
is executed: the code is only tokenized and parsed.
"""
from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

from graders.core.batch.collect import collect
from graders.core.batch.plan import Planned, make_plan
from graders.core.batch.pool import stage
from graders.core.similarity.profile import Profile, build_profile
from graders.core.spec import Spec
from graders.core.submission import load_submission
from graders.errors import GradersError
from graders.i18n import _

ARCHIVE_PREFIX = "archive:"


@dataclass(frozen=True)
class Skipped:
    """An entry that could not be compared, and why."""

    entry: str
    reason: str


def _profile(spec: Spec, planned: Planned, work: Path, archive: bool) -> Profile:
    sub = load_submission(stage(planned.unit, work), spec)
    key = (ARCHIVE_PREFIX if archive else "") + planned.identity.student_id
    return build_profile(key, planned.identity.name, planned.unit.entry, sub.sources, sub.markdown, archive)


def _check_not_outdir(inputs: list[Path]) -> None:
    for path in inputs:
        if path.is_dir() and (path / "gradebook.csv").is_file() and (path / ".cache").is_dir():
            raise GradersError(_("{path} is a batch's output folder, which keeps no submissions; pass the batch's "
                                 "inputs, or run `grade batch --similarity`").format(path=path))


def load_profiles(spec: Spec, inputs: list[Path], layout: str = "auto",
                  archive: bool = False) -> tuple[list[Profile], list[Skipped]]:
    """Every student's newest submission in the inputs, fingerprinted; what could not be read, with why."""
    _check_not_outdir(inputs)
    units, rejections = collect(inputs)
    plan = make_plan(units, rejections, layout)
    skipped = [Skipped(r.entry, r.reason) for r in plan.rejected]
    profiles = []
    with tempfile.TemporaryDirectory(prefix="grade-similar-") as work:
        for planned in plan.graded:
            try:
                profiles.append(_profile(spec, planned, Path(work), archive))
            except GradersError as exc:
                skipped.append(Skipped(planned.unit.entry, str(exc)))
            except Exception as exc:  # noqa: BLE001 - one unreadable submission costs its comparison, not the run
                skipped.append(Skipped(planned.unit.entry, _("it could not be read ({error})").format(
                    error=f"{type(exc).__name__}: {exc}")))
    return profiles, skipped
