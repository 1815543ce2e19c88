"""The batch pipeline, grade_batch: many submissions in (collect, plan, grade on the pool), a gradebook,
feedback and a summary out (outputs) — none lost."""
from __future__ import annotations

import os
import shutil
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from graders.core.batch import lms as _lms
from graders.core.batch.collect import collect
from graders.core.batch.adjust import own_names
from graders.core.batch.dashboard import derivation_texts
from graders.core.batch.review_photos import handed_in_photos
from graders.core.batch.finish import BatchOptions, Finished, finish
from graders.core.batch.log import BatchLog
from graders.core.batch.lock import outdir_lock
from graders.core.batch.outputs import (Row, graded_row, missing_row, process_peaks, reconciliation, rejected_row,
                                        write_outputs)
from graders.core.batch.plan import Plan, Planned, make_plan
from graders.core.batch.pool import Cache, Executor, LocalPool, grade_all, grader_version
from graders.core.report import Report
from graders.core.spec import Spec, load_assignment
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
    process_peak_mb: tuple[float, ...] = ()  # each grading process's peak resident set, highest first


def read_roster(path: Path) -> dict[str, str]:
    """Student id -> name from a roster CSV (ours with id/student_id/学号 and name/姓名, or an LMS export)."""
    roster = _lms.read_roster(path)
    return {roster.key(r): roster.name(r) for r in roster.records if roster.key(r)}


def _rows(plan: Plan, reports: dict[str, Report], max_score: float) -> list[tuple[Row, Report | None]]:
    out: list[tuple[Row, Report | None]] = []
    for planned in plan.graded:
        report = reports[planned.unit.digest]
        others = [u.entry for u in planned.superseded]
        out.append((graded_row(planned.identity, report, planned.unit.entry, 1 + len(others), others,
                               planned.names), report))
    out += [(rejected_row(r.entry, r.reason, max_score, r.identity), None) for r in plan.rejected]
    return out


def _missing(rows: list[tuple[Row, Report | None]], roster: _lms.Roster, max_score: float) -> list[tuple[Row, None]]:
    present = {roster.key(r) for r in (roster.find(row.student_id) for row, _ in rows) if r is not None}
    present |= {row.student_id for row, _ in rows}
    keyed = sorted((roster.key(r), roster.name(r)) for r in roster.records if roster.key(r))
    return [(missing_row(sid, name, max_score), None) for sid, name in keyed if sid not in present]


def grade_batch(assignment: str | Spec, inputs: list[Path], outdir: Path, *, workers: int | None = None,
                layout: str = "auto", roster: Path | None = None, force: bool = False,
                progress: Progress | None = None, lang: str = "en", options: BatchOptions | None = None,
                scheduler: str | None = None) -> BatchResult:
    """Grade every submission in the inputs into outdir; reuses cached reports unless force.

    Grading runs on a local pool of `workers` processes, or on the Dask cluster whose
    scheduler is at `scheduler` (tcp://HOST:8786; needs the `dask` extra). `device`: "cpu" or "cuda".
    Feedback, messages and the summary are written in `lang` ("zh" or "en"). The cache
    holds reports as data, whatever the language: a rerun in another language regrades nothing.
    `options`: grading options, late policy, LMS files (BatchOptions); OUTDIR/reviews.csv is merged.
    Raises OutdirBusy at once when another batch holds outdir, OutputError when an output cannot be written;
    KeyboardInterrupt (Ctrl-C, or raised by `progress`) cancels what is still grading, keeps what landed."""
    outdir.mkdir(parents=True, exist_ok=True)
    options = options or BatchOptions()
    with outdir_lock(outdir), BatchLog(outdir, Renderer(lang), options.verbose) as log:
        executor = _executor(scheduler, options, workers, outdir / ".work")
        try:
            return _grade_batch(assignment, inputs, outdir, executor=executor, layout=layout, roster=roster,
                                force=force, progress=progress, tr=Renderer(lang), options=options, log=log)
        except KeyboardInterrupt:
            log.warning(_("interrupted: the reports that landed are cached; the same command grades the rest"))
            raise


def _executor(scheduler: str | None, options: BatchOptions, workers: int | None, work: Path) -> Executor:
    """Where the batch grades: the Dask cluster at `scheduler`, else the embedded local pool."""
    if scheduler:
        from graders.core.batch.dask_executor import DaskExecutor

        return DaskExecutor(scheduler, options.device, options=options.grading())
    return LocalPool(workers or os.cpu_count() or 1, work, options.grading())


def _grade_batch(assignment: str | Spec, inputs: list[Path], outdir: Path, *, executor: Executor, layout: str,
                 roster: Path | None, force: bool, progress: Progress | None, tr: Renderer,
                 options: BatchOptions, log: BatchLog) -> BatchResult:
    start = time.monotonic()
    spec = assignment if isinstance(assignment, Spec) else load_assignment(assignment)
    roster_table = _lms.read_roster(roster) if roster else _lms.Roster()
    for student_id in _lms.ambiguous_ids(roster_table):
        log.warning(_("the roster lists id {id} for more than one student; it is matched to the record whose "
                      "first id column holds it").format(id=student_id))
    units, rejections = collect(inputs)
    plan = make_plan(units, rejections, layout)
    entries = len(units) + len([r for r in rejections if r.entry not in {u.entry for u in units}])
    log.info(_("found {entries} entries in {inputs} inputs (layout {layout}): {units} to grade, {rejected} rejected, "
               "{receipts} receipts").format(entries=entries, inputs=len(inputs), layout=plan.layout,
                                             units=len(plan.graded), rejected=len(plan.rejected),
                                             receipts=len(plan.receipts)))
    cache = Cache(outdir / ".cache", grader_version(spec) + options.cache_tag())  # one cache for every language
    if force:
        shutil.rmtree(cache.folder, ignore_errors=True)
        cache.folder.mkdir(parents=True)
    before, uncached = _grade(spec, plan, cache, outdir, executor, progress, log)
    log.info(_("graded {now} submissions in {seconds} s ({cached} from cache)").format(
        now=len(plan.graded) - before, cached=before, seconds=f"{time.monotonic() - start:.1f}"))
    reports = {p.unit.digest: _report(cache.get(p.unit.digest) or uncached[p.unit.digest], p) for p in plan.graded}
    rows = _rows(plan, reports, spec.max_score)
    rows += _missing(rows, roster_table, spec.max_score)
    done = finish(spec, plan, rows, roster_table, options, outdir, tr, log)
    ok, recon = reconciliation(plan, entries, [r for r, _rep in done.rows])
    _write_outputs(spec, plan, done, outdir, recon, tr, options)
    _log_rows(done.rows, recon, log)
    peaks = tuple(process_peaks(list(reports.values())))
    if peaks:
        log.info(_("peak memory per grading process: {peaks} MB").format(peaks=", ".join(f"{p:.0f}" for p in peaks)))
    return BatchResult(outdir, tuple(r for r, _ in done.rows), ok, recon, len(plan.graded) - before, before,
                       round(time.monotonic() - start, 2), peaks)


def _report(data: dict, planned: Planned) -> Report:
    """The cached report as this student's: their entry's name, never the staging folder's hash."""
    report = Report.from_dict(data).with_changes(submission=planned.unit.entry)
    staged, entry = planned.unit.digest[:20], planned.unit.entry.rstrip("/")
    return report.with_changes(message=own_names(report.message, staged, entry),
                               notes=tuple(own_names(n, staged, entry) for n in report.notes))


def _grade(spec: Spec, plan: Plan, cache: Cache, outdir: Path, executor: Executor,
           progress: Progress | None, log: BatchLog) -> tuple[int, dict[str, dict]]:
    """Grade what the cache lacks; the bar counts entries (students sharing bytes share one grading).

    Each report, as it lands from the executor's futures, moves the bar and writes one log line per entry."""
    entries: dict[str, list[str]] = {}
    for p in plan.graded:
        entries.setdefault(p.unit.digest, []).append(p.unit.entry)
    cached = [cache.get(p.unit.digest) for p in plan.graded]
    before = sum(c is not None for c in cached)
    total = len(plan.graded) + len(plan.rejected)
    state = {"done": before + len(plan.rejected),
             "failed": len(plan.rejected) + sum(c is not None and c["status"] != "graded" for c in cached)}

    def on_done(digest: str, report: dict) -> None:
        _log_landed(log, entries.get(digest, []), report)
        n = len(entries.get(digest, [])) or 1
        state["done"] += n
        state["failed"] += n * (report["status"] != "graded")
        if progress:
            progress(state["done"], total, state["failed"])

    if progress:
        progress(state["done"], total, state["failed"])
    try:
        uncached = grade_all(spec, [p.unit for p in plan.graded], cache, outdir / ".work", 1, on_done, executor)
    finally:
        shutil.rmtree(outdir / ".work", ignore_errors=True)
    return before, uncached


def _log_landed(log: BatchLog, entries: list[str], report: dict) -> None:
    """One line per entry as its report lands: its fate now (the rows at the end add the student)."""
    score = f"{report.get('score', 0):g}/{report.get('max_score', 0):g}"
    for entry in entries:
        log.info(_("graded now: {entry}: {status} {score}").format(entry=entry, status=report["status"],
                                                                   score=score))


def _log_rows(rows: list[tuple[Row, Report | None]], recon: str, log: BatchLog) -> None:
    for row, _rep in rows:
        log.info(_("{entry}: {student} {status} {score}").format(
            entry=row.file or "-", student=row.student_id or "?", status=row.status, score=f"{row.score:g}"))
    log.info(recon)


def _write_outputs(spec: Spec, plan: Plan, done: Finished, outdir: Path, recon: str, tr: Renderer,
                   options: BatchOptions) -> None:
    identities = {p.identity.student_id: p.identity for p in plan.graded}
    extra = [_("Layout: {layout}. Receipts ignored: {count}.").format(layout=plan.layout, count=len(plan.receipts)),
             options.summary_line()]
    photos = {p.identity.student_id: handed_in_photos(p.unit) for p in plan.graded}
    write_outputs(done.rows, [p.name for p in spec.parts], identities, recon, extra, outdir, tr, done.files,
                  derivation_texts(spec, plan.graded), {k: v for k, v in photos.items() if v})
