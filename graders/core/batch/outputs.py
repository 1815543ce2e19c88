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
from graders.core.report import Report


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
    note = f"other attempts: {', '.join(others)}" if others else ""
    message = "; ".join(m for m in (report.message, note) if m)
    return Row(identity.student_id, identity.name, report.status, report.score, report.max_score,
               {p: round(s, 2) for p, (s, _) in report.parts().items()}, identity.late, attempts, report.duration_s,
               entry, message)


def rejected_row(entry: str, reason: str, max_score: float, identity: Identity | None = None) -> Row:
    return Row(identity.student_id if identity else "", identity.name if identity else "", "rejected", 0.0, max_score,
               {}, bool(identity and identity.late), 1, 0.0, entry, reason)


def missing_row(student_id: str, name: str, max_score: float) -> Row:
    return Row(student_id, name, "missing", 0.0, max_score, {}, False, 0, 0.0, "", "no submission found")


def reconciliation(plan: Plan, inputs: int) -> tuple[bool, str]:
    """Every input entry accounted for: graded + superseded attempts + receipts + rejected."""
    graded, older, receipts, rejected = len(plan.graded), plan.superseded_count, len(plan.receipts), len(plan.rejected)
    total = graded + older + receipts + rejected
    ok = total == inputs
    line = (f"reconciliation: {inputs} input entries = {graded} graded + {older} superseded attempts + "
            f"{receipts} receipts + {rejected} rejected {'(all accounted for)' if ok else f'!= {total}: MISMATCH'}")
    return ok, line


def write_gradebook(rows: list[Row], part_names: list[str], path: Path) -> None:
    """CSV with a UTF-8 BOM so Excel shows Chinese names correctly (pandas: quoting, escaping)."""
    import pandas as pd

    frame = pd.DataFrame([r.as_dict(part_names) for r in rows])
    frame.to_csv(path, index=False, encoding="utf-8-sig")


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
    lines = [f"# Batch summary — {reports[0].assignment if reports else ''}", "",
             "| status | rows |", "| --- | --- |"] + [f"| {s} | {n} |" for s, n in sorted(by_status.items())]
    if scores:
        lines += ["", f"Scores of graded submissions: mean {statistics.mean(scores):.1f}, "
                      f"median {statistics.median(scores):.1f}, min {min(scores):g}, max {max(scores):g}."]
    lines += _memory_lines(reports)
    lines += ["", "## Hardest tests", "", "| test | pass rate |", "| --- | --- |"]
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
    values = [p for p, _ in peaks]
    return ["", f"Peak memory per worker: median {statistics.median(values):.0f} MB, max {values[-1]:.0f} MB "
                f"({peaks[-1][1]}), over {len(values)} submissions (resident set, torch's shared image included)."]


def _plot(scores: list[float], rates: list[tuple[str, float]], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, (left, right) = plt.subplots(1, 2, figsize=(13, 5.5))
    left.hist(scores, bins=20, range=(0, 100), color="#4477aa")
    left.set(title="Score distribution (graded submissions)", xlabel="score", ylabel="students")
    shown = rates[:20]
    right.barh([n for n, _ in shown], [r * 100 for _, r in shown], color="#cc6677")
    right.set(title="Pass rate of the 20 hardest tests", xlabel="% passed", xlim=(0, 100))
    right.tick_params(axis="y", labelsize=7)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
