"""Batch outputs: gradebook.csv, results.jsonl, feedback/<student>.md, summary.md and summary.png.

Rows hold messages as data; every file is rendered in the language of a
`Renderer` passed in (a rerun in another language re-renders, it does not regrade).
Rows and file contents are built by pure functions; `write_outputs` writes them
all at once (atomic.write_files: the previous outputs stay whole on a failure).
Every text a student controls is neutralised for its medium (formats/safe.py).
"""
from __future__ import annotations

import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from graders.core.batch.layouts import Identity, student_key, unique_keys
from graders.core.batch.plan import Plan
from graders.core.formats import render
from graders.core.batch.atomic import atomic_write, write_files
from graders.core.batch.dashboard import dashboard_files
from graders.core.batch.review_photos import Photo
from graders.core.batch.summary_plot import no_cjk_font_note, plot_labels, summary_png  # noqa: F401 (plot_labels re-exported)
from graders.core.formats._common import status_label
from graders.core.formats.markdown import cell
from graders.core.formats.safe import csv_cell, json_text, md_code, plain
from graders.core.report import Report
from graders.i18n import N_, Message, Renderer, _, join_messages


@dataclass(frozen=True)
class Row:
    """One gradebook line: a student's graded submission, a rejected entry, or a missing student."""

    student_id: str
    name: str
    status: str
    score: float
    max_score: float
    parts: dict[str, float]
    late: bool
    attempts: int
    duration_s: float
    file: str
    message: str
    raw_score: float | None = None  # before the late penalty (None: no late policy)
    penalty: float = 0.0  # late penalty, in points
    submitted: str = ""  # the submission time the late policy used
    review: str = ""  # hand-set scores and parts waiting for a person (reviews.csv)
    metrics: dict[str, float] = field(default_factory=dict)  # figures the tests measured (hw04: accuracy)

    def as_dict(self, part_names: list[str], metric_names: list[str] = ()) -> dict[str, Any]:
        """The gradebook line; a part waiting for a person (None) is blank (the LMS files blank missing scores too).

        Metrics (e.g. hw04's `accuracy`) follow the parts; blank where the test did not run."""
        base = {"student_id": self.student_id, "name": self.name, "score": self.score, "max": self.max_score}
        base |= {p: self.parts.get(p, 0.0) for p in part_names}
        base |= {m: self.metrics.get(m) for m in metric_names}
        return base | {"status": self.status, "late": self.late, "attempts": self.attempts,
                       "duration_s": self.duration_s, "file": self.file, "message": self.message,
                       "raw_score": self.raw_score, "late_penalty": self.penalty, "submitted": self.submitted,
                       "review": self.review}


def graded_row(identity: Identity, report: Report, entry: str, attempts: int, others: list[str],
               names: tuple[str, ...] = ()) -> Row:
    """The row of a graded entry; `names`: the different names its student's attempts carry (held for review)."""
    note = _("other attempts: {files}").format(files=", ".join(others)) if others else ""
    clash = name_clash(names) if names else ""
    message = join_messages("; ", [m for m in (report.message, note, clash) if m])
    return Row(identity.student_id, identity.name, report.status, report.score, report.max_score,
               {p: round(s, 2) for p, (s, _) in report.parts().items()}, identity.late, attempts, report.duration_s,
               entry, message, metrics=report.metrics())


def name_clash(names: tuple[str, ...]) -> Message:
    """Why a student's grade waits for a person: their attempts carry different names."""
    return _("attempts under this student id carry different names ({names}): check whose work it is").format(
        names=", ".join(repr(n) for n in names))


def rejected_row(entry: str, reason: str, max_score: float, identity: Identity | None = None) -> Row:
    return Row(identity.student_id if identity else "", identity.name if identity else "", "rejected", 0.0, max_score,
               {}, bool(identity and identity.late), 1, 0.0, entry, reason)


def missing_row(student_id: str, name: str, max_score: float) -> Row:
    return Row(student_id, name, "missing", 0.0, max_score, {}, False, 0, 0.0, "", _("no submission found"))


NOT_GRADED = ("rejected", "error", "timeout")  # an entry the grader could not score: no grade, not a zero


def reconciliation(plan: Plan, inputs: int, rows: list[Row] | None = None) -> tuple[bool, str]:
    """Every input entry accounted for: graded + not graded + superseded attempts + receipts.

    Counted from the rows (each entry's status decided in one place), as the bar and the summary count."""
    entries = [r for r in rows if r.file] if rows is not None else None  # a row per input entry (not the missing)
    not_graded = sum(r.status in NOT_GRADED for r in entries) if entries is not None else len(plan.rejected)
    graded = len(entries) - not_graded if entries is not None else len(plan.graded)
    older, receipts, merged = plan.superseded_count, len(plan.receipts), plan.merged_count
    total = graded + not_graded + older + receipts + merged
    ok = total == inputs
    verdict = _("(all accounted for)") if ok else _("!= {total}: MISMATCH").format(total=total)
    counts = dict(inputs=inputs, graded=graded, not_graded=not_graded, older=older, receipts=receipts,
                  merged=merged, verdict=verdict)
    if merged:
        return ok, _("reconciliation: {inputs} input entries = {graded} graded + {merged} more files of multi-file "
                     "submissions + {not_graded} not graded + {older} superseded attempts + {receipts} receipts "
                     "{verdict}").format(**counts)
    return ok, _("reconciliation: {inputs} input entries = {graded} graded + {not_graded} not graded + "
                 "{older} superseded attempts + {receipts} receipts {verdict}").format(**counts)


# Columns a student can fill (names, ids and file names from the download or the roster, messages).
# The others are numbers and flags the grader writes: `-2.5` there must stay a number, so only these are defused.
TEXT_COLUMNS = ("student_id", "name", "status", "file", "message", "submitted", "review")


def gradebook_csv(rows: list[Row], part_names: list[str], tr: Renderer) -> bytes:
    """CSV with a UTF-8 BOM so Excel shows Chinese names correctly; text cells cannot run as formulas."""
    import pandas as pd

    metric_names = metric_columns(rows)
    records = [r.as_dict(part_names, metric_names) for r in rows]
    for record in records:
        record |= {key: csv_cell(tr(record[key])) for key in TEXT_COLUMNS}
    columns = list(Row("", "", "", 0, 0, {}, False, 0, 0, "", "").as_dict(part_names, metric_names))
    return pd.DataFrame(records, columns=columns).to_csv(index=False).encode("utf-8-sig")


def metric_columns(rows: list[Row]) -> list[str]:
    """The metrics any row has (hw04: `accuracy`), sorted: one gradebook column each."""
    return sorted({name for r in rows for name in r.metrics})


def write_gradebook(rows: list[Row], part_names: list[str], path: Path, tr: Renderer) -> None:
    """gradebook.csv, written atomically."""
    atomic_write(path, gradebook_csv(rows, part_names, tr))


TABLE_COLUMNS = (("student_id", N_("student id")), ("name", N_("name")), ("score", N_("score")),
                 ("status", N_("status")), ("late", N_("late")), ("file", N_("file")))


def gradebook_table(rows: list[Row], tr: Renderer) -> str:
    """The gradebook as an aligned text table (rich measures the double width of Chinese characters).

    Cells are Text objects of `plain` text: no rich markup is read and no control character reaches a terminal."""
    from rich import box
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    table = Table(box=box.ASCII, show_lines=False)
    for key, title in TABLE_COLUMNS:
        table.add_column(tr(_(title)), justify="right" if key == "score" else "left", no_wrap=True)
    for r in rows:
        cells = (r.student_id, r.name, f"{r.score:g}/{r.max_score:g}", status_label(r.status, tr),
                 tr(_("yes")) if r.late else "", r.file)
        table.add_row(*(Text(plain(c)) for c in cells))
    buffer = io.StringIO()
    Console(file=buffer, width=1000, color_system=None, highlight=False, emoji=False, _environ={}).print(table)
    return "\n".join(line.rstrip() for line in buffer.getvalue().splitlines()) + "\n"


def results_jsonl(reports: list[tuple[Row, Report | None]], tr: Renderer) -> str:
    """One JSON record per row, text in `tr`'s language; C1 controls and lone surrogates escaped (json_text)."""
    lines = []
    for row, report in reports:
        record = {"student_id": row.student_id, "name": row.name, "file": row.file, "status": row.status,
                  "report": report.to_dict(tr.lang) if report else None, "message": tr(row.message)}
        lines.append(json_text(record) + "\n")
    return "".join(lines)


def feedback_files(reports: list[tuple[Row, Report | None]], identities: dict[str, Identity],
                   folder: Path, tr: Renderer) -> dict[Path, bytes]:
    """feedback/<id_name>.md for every student with a report (Markdown renders student text as code).

    Ids that sanitise to the same key (`a/b` and `a_b`, or differ only in case) get `~2`, ... in row order,
    so no student's feedback overwrites another's."""
    kept = [(row, report) for row, report in reports if report is not None and row.student_id in identities]
    keys = unique_keys([student_key(identities[row.student_id]) for row, _report in kept])
    return {folder / f"{key}.md": render(report, "markdown", tr.lang).encode("utf-8")
            for key, (_row, report) in zip(keys, kept)}


def _pass_rates(reports: list[Report]) -> dict[str, float]:
    counts: dict[str, list[int]] = {}
    for report in reports:
        for t in report.tests:
            counts.setdefault(t.name, [0, 0])
            counts[t.name][0] += t.status == "passed"
            counts[t.name][1] += 1
    return {name: passed / total for name, (passed, total) in counts.items()}


def summary_md(rows: list[Row], reports: list[Report], recon: str, extra: list[str], tr: Renderer) -> str:
    """summary.md: counts, score statistics, peak memory, hardest tests, reconciliation."""
    import statistics

    scores = [r.score for r in rows if r.status == "graded"]
    by_status: dict[str, int] = {}
    for r in rows:
        by_status[r.status] = by_status.get(r.status, 0) + 1
    title = tr(_("Batch summary — {assignment}").format(assignment=cell(reports[0].assignment) if reports else ""))
    lines = ["# " + title, "", "| {} | {} |".format(tr(_("status")), tr(_("rows"))), "| --- | --- |"]
    lines += [f"| {status_label(s, tr)} | {n} |" for s, n in sorted(by_status.items())]
    if scores:
        lines += ["", tr(_("Scores of graded submissions: mean {mean}, median {median}, min {min}, max {max}.").format(
            mean=f"{statistics.mean(scores):.1f}", median=f"{statistics.median(scores):.1f}",
            min=f"{min(scores):g}", max=f"{max(scores):g}"))]
    lines += _memory_lines(reports, tr)
    lines += ["", "## " + tr(_("Hardest tests")), "", "| {} | {} |".format(tr(_("test")), tr(_("pass rate"))),
              "| --- | --- |"]
    lines += [f"| {cell(name)} | {rate:.0%} |" for name, rate in _hardest(reports)[:15]]
    lines += ["", *map(tr, extra), "", tr(recon), ""]
    return "\n".join(lines)


def _hardest(reports: list[Report]) -> list[tuple[str, float]]:
    return sorted(_pass_rates(reports).items(), key=lambda kv: kv[1])


def write_summary(rows: list[Row], reports: list[Report], recon: str, extra: list[str], folder: Path,
                  tr: Renderer) -> None:
    """summary.md and summary.png, written atomically."""
    write_files(summary_files(rows, reports, recon, extra, folder, tr))


def summary_files(rows: list[Row], reports: list[Report], recon: str, extra: list[str],
                  folder: Path, tr: Renderer) -> dict[Path, bytes]:
    """summary.md and summary.png, by path."""
    extra = [*extra, *filter(None, [no_cjk_font_note(tr)])]
    return {folder / "summary.md": summary_md(rows, reports, recon, extra, tr).encode("utf-8"),
            folder / "summary.png": summary_png(rows, reports, tr)}


def write_outputs(rows: list[tuple[Row, Report | None]], part_names: list[str], identities: dict[str, Identity],
                  recon: str, extra: list[str], outdir: Path, tr: Renderer,
                  more: dict[Path, bytes] | None = None, derivations: dict[str, str] | None = None,
                  photos: dict[str, list[Photo]] | None = None) -> None:
    """Every output of a batch, rendered in `tr`'s language first, then written all-or-nothing."""
    plain_rows = [r for r, _rep in rows]
    reports = [rep for _row, rep in rows if rep is not None]
    files = {outdir / "gradebook.csv": gradebook_csv(plain_rows, part_names, tr),
             outdir / "gradebook.txt": gradebook_table(plain_rows, tr).encode("utf-8"),
             outdir / "results.jsonl": results_jsonl(rows, tr).encode("utf-8")}
    files |= feedback_files(rows, identities, outdir / "feedback", tr)
    files |= summary_files(plain_rows, reports, recon, extra, outdir, tr)
    files |= dashboard_files(rows, outdir, tr, derivations, photos)
    write_files(files | (more or {}))  # more: reviews.csv and the LMS import files (batch/finish.py)


def _memory_lines(reports: list[Report], tr: Renderer) -> list[str]:
    """Peak memory of the sandboxed workers (resident set as the kernel counted it, torch's image included)."""
    import statistics

    peaks = sorted((r.environment.get("worker_peak_mb"), r.submission) for r in reports
                   if r.environment.get("worker_peak_mb") is not None)
    if not peaks:
        return []
    values = [p for p, _sub in peaks]
    return ["", tr(_("Peak memory per worker: median {median} MB, max {max} MB ({submission}), over {n} submissions "
                  "(resident set, torch's shared image included).").format(
        median=f"{statistics.median(values):.0f}", max=f"{values[-1]:.0f}", submission=md_code(peaks[-1][1]),
        n=len(values))), *_process_memory_lines(reports, tr)]


def process_peaks(reports: list[Report]) -> list[float]:
    """Each grading (pool) process's peak resident set in MB, highest first: the last figure a process recorded
    is its peak, since a process's peak only grows."""
    by_pid: dict[int, float] = {}
    for r in reports:
        pid, peak = r.environment.get("process_pid"), r.environment.get("process_peak_mb")
        if isinstance(pid, int) and isinstance(peak, (int, float)):
            by_pid[pid] = max(by_pid.get(pid, 0.0), float(peak))
    return sorted(by_pid.values(), reverse=True)


def _process_memory_lines(reports: list[Report], tr: Renderer) -> list[str]:
    peaks = process_peaks(reports)
    if not peaks:
        return []
    return [tr(_("Peak memory per grading process (the parent that runs the suites; {n} processes): "
                 "{peaks} MB.").format(n=len(peaks), peaks=", ".join(f"{p:.0f}" for p in peaks)))]
