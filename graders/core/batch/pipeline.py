"""The batch pipeline, grade_batch: many submissions in (collect, plan, grade on the pool), a gradebook,
feedback and a summary out (outputs) — none lost."""
from __future__ import annotations

import os
import shutil
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from graders.core.batch.collect import collect
from graders.core.batch.lock import outdir_lock
from graders.core.batch.outputs import Row, graded_row, missing_row, reconciliation, rejected_row, write_outputs
from graders.core.batch.plan import Plan, make_plan
from graders.core.batch.pool import Cache, Executor, LocalPool, grade_all, grader_version
from graders.core.report import Report
from graders.core.spec import Spec, load_assignment
from graders.errors import GradersError
from graders.i18n import Renderer, _

Progress = Callable[[int, int, int], None]  # (done, total, failures)


@dataclass(frozen=True)
class BatchResult:
    """What a batch produced, for the CLI and the tests."""

    outdir: Path
    rows: tuple[Row, ...]
    reconciled: bool
    reconciliation: str
    graded_now: int
    from_cache: int
    duration_s: float


def read_roster(path: Path) -> dict[str, str]:
    """Student id -> name from a CSV with columns id/student_id/学号 and name/姓名."""
    import pandas as pd

    frame = pd.read_csv(path, dtype=str, encoding="utf-8-sig").fillna("")
    ids = next((c for c in frame.columns if c.strip().lower() in ("id", "student_id", "学号", "sis user id")), None)
    names = next((c for c in frame.columns if c.strip().lower() in ("name", "姓名", "student")), None)
    if ids is None:
        raise GradersError(_("{path}: the roster needs a column named id, student_id or 学号").format(path=path))
    return {row[ids].strip(): (row[names].strip() if names else "") for _, row in frame.iterrows() if row[ids].strip()}


def _rows(plan: Plan, reports: dict[str, Report], max_score: float) -> list[tuple[Row, Report | None]]:
    out: list[tuple[Row, Report | None]] = []
    for planned in plan.graded:
        report = reports[planned.unit.digest]
        others = [u.entry for u in planned.superseded]
        out.append((graded_row(planned.identity, report, planned.unit.entry, 1 + len(others), others), report))
    out += [(rejected_row(r.entry, r.reason, max_score, r.identity), None) for r in plan.rejected]
    return out


def _missing(rows: list[tuple[Row, Report | None]], roster: dict[str, str], max_score: float) -> list[tuple[Row, None]]:
    present = {row.student_id for row, _ in rows}
    return [(missing_row(sid, name, max_score), None) for sid, name in sorted(roster.items()) if sid not in present]


def grade_batch(assignment: str | Spec, inputs: list[Path], outdir: Path, *, workers: int | None = None,
                layout: str = "auto", roster: Path | None = None, force: bool = False,
                progress: Progress | None = None, lang: str = "en", scheduler: str | None = None,
                device: str = "cpu") -> BatchResult:
    """Grade every submission in the inputs into outdir; reuses cached reports unless force.

    Grading runs on a local pool of `workers` processes, or on the Dask cluster whose
    scheduler is at `scheduler` (tcp://HOST:8786; needs the `dask` extra). `device`: "cpu" or "cuda".
    Feedback, messages and the summary are written in `lang` ("zh" or "en"). The cache
    holds reports as data, whatever the language: a rerun in another language regrades nothing.
    Raises OutdirBusy at once when another batch holds outdir, OutputError when an output cannot be written."""
    outdir.mkdir(parents=True, exist_ok=True)
    with outdir_lock(outdir):
        executor = _executor(scheduler, device, workers, outdir / ".work")
        return _grade_batch(assignment, inputs, outdir, executor=executor, device=device, layout=layout,
                            roster=roster, force=force, progress=progress, tr=Renderer(lang))


def _executor(scheduler: str | None, device: str, workers: int | None, work: Path) -> Executor:
    """Where the batch grades: the Dask cluster at `scheduler`, else the embedded local pool."""
    if scheduler:
        from graders.core.batch.dask_executor import DaskExecutor

        return DaskExecutor(scheduler, device)
    return LocalPool(workers or os.cpu_count() or 1, work, device)


def _grade_batch(assignment: str | Spec, inputs: list[Path], outdir: Path, *, executor: Executor, device: str,
                 layout: str, roster: Path | None, force: bool, progress: Progress | None, tr: Renderer) -> BatchResult:
    start = time.monotonic()
    spec = assignment if isinstance(assignment, Spec) else load_assignment(assignment)
    roster_map = read_roster(roster) if roster else {}
    units, rejections = collect(inputs)
    plan = make_plan(units, rejections, layout)
    version = grader_version(spec) + ("" if device == "cpu" else f"-{device}")
    cache = Cache(outdir / ".cache", version)  # reports hold messages as data: one cache for every language
    if force:
        shutil.rmtree(cache.folder, ignore_errors=True)
        cache.folder.mkdir(parents=True)
    total, before = len(plan.graded), sum(cache.get(p.unit.digest) is not None for p in plan.graded)
    state = {"done": before, "failed": 0}

    def on_done(report: dict) -> None:
        state["done"] += 1
        state["failed"] += report["status"] != "graded"
        if progress:
            progress(state["done"], total, state["failed"])

    if progress:
        progress(before, total, 0)
    uncached = grade_all(spec, [p.unit for p in plan.graded], cache, outdir / ".work", 1, on_done, executor)
    shutil.rmtree(outdir / ".work", ignore_errors=True)
    reports = {p.unit.digest: Report.from_dict(cache.get(p.unit.digest) or uncached[p.unit.digest]).with_changes(
        submission=p.unit.entry) for p in plan.graded}
    rows = _rows(plan, reports, spec.max_score)
    rows += _missing(rows, roster_map, spec.max_score)
    ok, recon = reconciliation(plan, len(units) + len([r for r in rejections if r.entry not in {u.entry for u in units}]))
    _write_outputs(spec, plan, rows, outdir, recon, tr)
    return BatchResult(outdir, tuple(r for r, _ in rows), ok, recon, total - before, before,
                       round(time.monotonic() - start, 2))


def _write_outputs(spec: Spec, plan: Plan, rows: list[tuple[Row, Report | None]], outdir: Path, recon: str,
                   tr: Renderer) -> None:
    identities = {p.identity.student_id: p.identity for p in plan.graded}
    extra = [_("Layout: {layout}. Receipts ignored: {count}.").format(layout=plan.layout, count=len(plan.receipts))]
    write_outputs(rows, [p.name for p in spec.parts], identities, recon, extra, outdir, tr)
