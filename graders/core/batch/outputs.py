"""Batch outputs: gradebook.csv, results.jsonl, feedback/<student>.md, summary.md and summary.png.

Rows are built by pure functions; writing them is the only side effect here.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from graders.core.batch.layouts import Identity, student_key
from graders.core.batch.plan import Plan
from graders.core.formats import render
from graders.core.formats._common import status_label
from graders.core.report import Report
from graders.core.batch.plotfont import cjk_font, needs_cjk
from graders.i18n import N_, _, translator


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

    def as_dict(self, part_names: list[str]) -> dict[str, Any]:
        base = {"student_id": self.student_id, "name": self.name, "score": self.score, "max": self.max_score}
        base |= {p: self.parts.get(p, 0.0) for p in part_names}
        return base | {"status": self.status, "late": self.late, "attempts": self.attempts,
                       "duration_s": self.duration_s, "file": self.file, "message": self.message}


def graded_row(identity: Identity, report: Report, entry: str, attempts: int, others: list[str]) -> Row:
    note = _("other attempts: {files}").format(files=", ".join(others)) if others else ""
    message = "; ".join(m for m in (report.message, note) if m)
    return Row(identity.student_id, identity.name, report.status, report.score, report.max_score,
               {p: round(s, 2) for p, (s, _) in report.parts().items()}, identity.late, attempts, report.duration_s,
               entry, message)


def rejected_row(entry: str, reason: str, max_score: float, identity: Identity | None = None) -> Row:
    return Row(identity.student_id if identity else "", identity.name if identity else "", "rejected", 0.0, max_score,
               {}, bool(identity and identity.late), 1, 0.0, entry, reason)


def missing_row(student_id: str, name: str, max_score: float) -> Row:
    return Row(student_id, name, "missing", 0.0, max_score, {}, False, 0, 0.0, "", _("no submission found"))


def reconciliation(plan: Plan, inputs: int) -> tuple[bool, str]:
    """Every input entry accounted for: graded + superseded attempts + receipts + rejected."""
    graded, older, receipts, rejected = len(plan.graded), plan.superseded_count, len(plan.receipts), len(plan.rejected)
    total = graded + older + receipts + rejected
    ok = total == inputs
    verdict = _("(all accounted for)") if ok else _("!= {total}: MISMATCH").format(total=total)
    line = _("reconciliation: {inputs} input entries = {graded} graded + {older} superseded attempts + "
             "{receipts} receipts + {rejected} rejected {verdict}").format(
        inputs=inputs, graded=graded, older=older, receipts=receipts, rejected=rejected, verdict=verdict)
    return ok, line


def write_gradebook(rows: list[Row], part_names: list[str], path: Path) -> None:
    """CSV with a UTF-8 BOM so Excel shows Chinese names correctly (pandas: quoting, escaping)."""
    import pandas as pd

    frame = pd.DataFrame([r.as_dict(part_names) for r in rows])
    frame.to_csv(path, index=False, encoding="utf-8-sig")


TABLE_COLUMNS = (("student_id", N_("student id")), ("name", N_("name")), ("score", N_("score")),
                 ("status", N_("status")), ("late", N_("late")), ("file", N_("file")))


def gradebook_table(rows: list[Row]) -> str:
    """The gradebook as an aligned text table (rich measures the double width of Chinese characters)."""
    import io

    from rich import box
    from rich.console import Console
    from rich.table import Table

    table = Table(box=box.ASCII, show_lines=False)
    for key, title in TABLE_COLUMNS:
        table.add_column(_(title), justify="right" if key == "score" else "left", no_wrap=True)
    for r in rows:
        table.add_row(r.student_id, r.name, f"{r.score:g}/{r.max_score:g}", status_label(r.status),
                      _("yes") if r.late else "", r.file)
    buffer = io.StringIO()
    Console(file=buffer, width=1000, color_system=None, highlight=False, emoji=False, _environ={}).print(table)
    return "\n".join(line.rstrip() for line in buffer.getvalue().splitlines()) + "\n"


def write_table(rows: list[Row], path: Path) -> None:
    """gradebook.txt: the aligned table, for a terminal or a quick look."""
    path.write_text(gradebook_table(rows), encoding="utf-8")


def write_results(reports: list[tuple[Row, Report | None]], path: Path) -> None:
    with path.open("w", encoding="utf-8") as fh:
        for row, report in reports:
            record = {"student_id": row.student_id, "name": row.name, "file": row.file, "status": row.status,
                      "report": report.to_dict() if report else None, "message": row.message}
            fh.write(json.dumps(record, ensure_ascii=False) + "\n")


def write_feedback(reports: list[tuple[Row, Report | None]], identities: dict[str, Identity], folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for row, report in reports:
        if report is None or row.student_id not in identities:
            continue
        (folder / f"{student_key(identities[row.student_id])}.md").write_text(render(report, "markdown"), encoding="utf-8")


def _pass_rates(reports: list[Report]) -> dict[str, float]:
    counts: dict[str, list[int]] = {}
    for report in reports:
        for t in report.tests:
            counts.setdefault(t.name, [0, 0])
            counts[t.name][0] += t.status == "passed"
            counts[t.name][1] += 1
    return {name: passed / total for name, (passed, total) in counts.items()}


def write_summary(rows: list[Row], reports: list[Report], recon: str, extra: list[str], folder: Path) -> None:
    """summary.md (counts, score statistics, hardest tests, reconciliation) and summary.png."""
    import statistics

    scores = [r.score for r in rows if r.status == "graded"]
    by_status: dict[str, int] = {}
    for r in rows:
        by_status[r.status] = by_status.get(r.status, 0) + 1
    rates = sorted(_pass_rates(reports).items(), key=lambda kv: kv[1])
    lines = ["# " + _("Batch summary — {assignment}").format(assignment=reports[0].assignment if reports else ""), "",
             "| {} | {} |".format(_("status"), _("rows")), "| --- | --- |"]
    lines += [f"| {status_label(s)} | {n} |" for s, n in sorted(by_status.items())]
    if scores:
        lines += ["", _("Scores of graded submissions: mean {mean}, median {median}, min {min}, max {max}.").format(
            mean=f"{statistics.mean(scores):.1f}", median=f"{statistics.median(scores):.1f}",
            min=f"{min(scores):g}", max=f"{max(scores):g}")]
    lines += _memory_lines(reports)
    lines += ["", "## " + _("Hardest tests"), "", "| {} | {} |".format(_("test"), _("pass rate")), "| --- | --- |"]
    lines += [f"| {name} | {rate:.0%} |" for name, rate in rates[:15]]
    lines += ["", *extra, "", recon, ""]
    (folder / "summary.md").write_text("\n".join(lines), encoding="utf-8")
    _plot(scores, rates, folder / "summary.png")


def _memory_lines(reports: list[Report]) -> list[str]:
    """Peak memory of the sandboxed workers (resident set as the kernel counted it, torch's image included)."""
    import statistics

    peaks = sorted((r.environment.get("worker_peak_mb"), r.submission) for r in reports
                   if r.environment.get("worker_peak_mb") is not None)
    if not peaks:
        return []
    values = [p for p, _sub in peaks]
    return ["", _("Peak memory per worker: median {median} MB, max {max} MB ({submission}), over {n} submissions "
                  "(resident set, torch's shared image included).").format(
        median=f"{statistics.median(values):.0f}", max=f"{values[-1]:.0f}", submission=peaks[-1][1], n=len(values))]


PLOT_LABELS = {"title_left": N_("Score distribution (graded submissions)"), "score": N_("score"),
               "students": N_("students"), "title_right": N_("Pass rate of the 20 hardest tests"),
               "passed": N_("% passed")}


def plot_labels(font: str | None) -> dict[str, str]:
    """The plot's labels in the current language, or in English when no installed font can draw them."""
    labels = {key: _(text) for key, text in PLOT_LABELS.items()}
    if font is None and any(needs_cjk(text) for text in labels.values()):
        labels = {key: translator("en").gettext(text) for key, text in PLOT_LABELS.items()}
    return labels


def _plot(scores: list[float], rates: list[tuple[str, float]], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    font = cjk_font()
    labels = plot_labels(font)
    families = ([font] if font else []) + ["DejaVu Sans"]
    with plt.rc_context({"font.family": "sans-serif", "font.sans-serif": families}):
        fig, (left, right) = plt.subplots(1, 2, figsize=(13, 5.5))
        left.hist(scores, bins=20, range=(0, 100), color="#4477aa")
        left.set(title=labels["title_left"], xlabel=labels["score"], ylabel=labels["students"])
        shown = rates[:20]
        right.barh([n for n, _r in shown], [r * 100 for _n, r in shown], color="#cc6677")
        right.set(title=labels["title_right"], xlabel=labels["passed"], xlim=(0, 100))
        right.tick_params(axis="y", labelsize=7)
        fig.tight_layout()
        fig.savefig(path, dpi=110)
        plt.close(fig)
