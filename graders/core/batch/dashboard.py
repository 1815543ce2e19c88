"""The batch dashboard: OUTDIR/index.html and students/<id_name>.html, a static page set opened from disk.

Why: a TA reads a batch in a browser, not in a CSV. The pages need no server
and load nothing: one inline style and one inline script, each allowed by its
hash in a strict Content-Security-Policy (nothing else runs, nothing is fetched).
Every text a student controls (names, file names, messages, derivations) is
cleaned by `plain_lines` and HTML-escaped by the template engine (jinja2 with
autoescape on, so no value reaches the page unescaped unless marked safe, and
only the project's own CSS and JS are); file names come from `student_key` and
are URL-quoted in links. Messages are rendered in the batch's language here.
"""
from __future__ import annotations

import base64
import hashlib
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable, Mapping
from urllib.parse import quote

from graders.core.batch.layouts import Identity, student_key, unique_keys
from graders.core.batch.review_photos import Photo, photo_entries
from graders.core.batch.plan import Planned
from graders.core.formats._common import num, short_name, status_label
from graders.core.formats.safe import plain, plain_lines
from graders.core.report import Report, TestResult
from graders.core.spec import Spec
from graders.i18n import N_, Message, Renderer, _, to_data

TEMPLATES = Path(__file__).with_name("dashboard_templates")
STUDENTS = "students"  # the folder of per-student pages, next to index.html
TOP_MESSAGES = 3  # failure messages (and hints) shown per test in the item analysis
BINS = 10  # score histogram bins
MAX_DERIVATION_CHARS = 200_000  # a derivation shown on a student's page is cut there


@dataclass(frozen=True)
class Item:
    """One test across the cohort: how many passed, how well it separates strong from weak, what went wrong."""

    name: str
    part: str
    passed: int
    total: int
    discrimination: float | None
    failures: tuple[tuple[str, int], ...]
    hints: tuple[tuple[str, int], ...]

    @property
    def rate(self) -> float:
        return self.passed / self.total if self.total else 0.0


def text(value: Any, tr: Renderer) -> str:
    """A message or student string as inert text in `tr`'s language (controls and bidi overrides removed)."""
    return plain_lines(tr(value))


def page_names(rows: Iterable[Any]) -> list[str]:
    """A unique, filesystem-safe `students/<key>.html` name per row (also unique ignoring case, for Windows/macOS)."""
    keys = []
    for row in rows:
        name = row.name or ("" if row.student_id else row.file or "entry")
        keys.append(student_key(Identity(plain(row.student_id), plain(name), False, "", "", "")))
    return [f"{key}.html" for key in unique_keys(keys)]


def histogram(scores: list[float], max_score: float, bins: int = BINS) -> list[tuple[str, int]]:
    """Integer counts of scores in `bins` equal ranges of 0..max_score (the top one includes the maximum)."""
    top = max_score or 1.0
    counts = [0] * bins
    for score in scores:
        counts[min(bins - 1, max(0, int(score / top * bins)))] += 1
    width = top / bins
    return [(f"{num(i * width)}–{num((i + 1) * width)}", c) for i, c in enumerate(counts)]


def discrimination(reports: list[Report], test: str) -> float | None:
    """Upper-minus-lower 27 % index: pass rate among the top scorers minus among the bottom ones.

    Near 1: the test separates strong from weak submissions; near 0 or negative: it does not
    (or it is broken). None below 4 graded submissions, where the groups mean nothing."""
    if len(reports) < 4:
        return None
    ranked = sorted(reports, key=lambda r: r.score)
    k = max(1, round(0.27 * len(ranked)))

    def rate(group: list[Report]) -> float:
        return sum(any(t.name == test and t.status == "passed" for t in r.tests) for r in group) / len(group)

    return round(rate(ranked[-k:]) - rate(ranked[:k]), 2)


def item_analysis(reports: list[Report], tr: Renderer) -> list[Item]:
    """One Item per test of the graded reports, hardest first."""
    tests: dict[str, list[TestResult]] = {}
    for report in reports:
        for t in report.tests:
            tests.setdefault(t.name, []).append(t)
    items = [_item(name, results, reports, tr) for name, results in tests.items()]
    return sorted(items, key=lambda i: (i.rate, i.name))


def _item(name: str, results: list[TestResult], reports: list[Report], tr: Renderer) -> Item:
    failed = [t for t in results if t.status != "passed"]
    failures = Counter(text(t.message, tr) for t in failed if t.message)
    hints = Counter(text(t.hint, tr) for t in failed if t.hint)
    return Item(name, results[0].part, len(results) - len(failed), len(results), discrimination(reports, name),
                tuple(failures.most_common(TOP_MESSAGES)), tuple(hints.most_common(TOP_MESSAGES)))


def part_means(reports: list[Report]) -> list[tuple[str, float]]:
    """Each part's mean score over the graded reports, as a percentage of the part's maximum."""
    sums: dict[str, list[float]] = {}
    for report in reports:
        for part, (got, top) in report.parts().items():
            acc = sums.setdefault(part, [0.0, 0.0])
            acc[0], acc[1] = acc[0] + got, acc[1] + top
    return [(part, 100 * got / top if top else 0.0) for part, (got, top) in sums.items()]


def first_bad_line(message: Any) -> int | None:
    """The derivation.md line a chain message names (its `line` parameter), or None."""
    data = to_data(message) if isinstance(message, Message) else None
    stack = [data]
    while stack:
        node = stack.pop(0)
        if isinstance(node, dict):
            params = node.get("params") or {}
            if isinstance(params.get("line"), int):
                return params["line"]
            stack += list(params.values()) + list(node.get("parts") or [])
    return None


def derivation_texts(spec: Spec, graded: Iterable[Planned]) -> dict[str, str]:
    """student id -> the text its derivation blocks were read from (derivation.md or the notebook's cells).

    Read again from the unit's bytes (the cache keeps reports, not submissions); only submissions
    with a derivation block are kept. An unreadable one shows none: its row already says why."""
    import tempfile

    found = {}
    with tempfile.TemporaryDirectory(prefix="grade-dashboard-") as work:
        for planned in graded:
            text = _markdown(spec, planned, Path(work))
            if "```derivation" in text:
                found[planned.identity.student_id] = text[:MAX_DERIVATION_CHARS]
    return found


def _markdown(spec: Spec, planned: Planned, work: Path) -> str:
    from graders.core.batch.pool import stage
    from graders.core.submission import load_submission

    try:
        return load_submission(stage(planned.unit, work), spec).markdown
    except Exception:  # noqa: BLE001 - a submission that cannot be read again shows no derivation, nothing more
        return ""


LABELS = {
    "title": N_("Batch dashboard — {assignment}"), "cohort": N_("Cohort"), "status": N_("status"),
    "rows": N_("rows"), "late": N_("late"), "late_count": N_("Late submissions: {count}"),
    "distribution": N_("Score distribution (graded submissions)"), "score": N_("score"),
    "students": N_("students"), "parts": N_("Mean score per part"), "part": N_("part"),
    "mean": N_("mean"), "items": N_("Item analysis"), "test": N_("test"), "pass_rate": N_("pass rate"),
    "passed": N_("passed"), "discrimination": N_("discrimination"),
    "discrimination_note": N_("Discrimination: pass rate among the top 27 % of graded submissions minus among "
                              "the bottom 27 % (near 1: the test separates strong from weak work; near 0 or "
                              "below: it does not). Shown from 4 graded submissions on."),
    "failures": N_("most common failure messages"), "hints": N_("most common hints"),
    "all_students": N_("Students"), "student_id": N_("student id"), "name": N_("name"), "file": N_("file"),
    "message": N_("message"), "failing": N_("failing tests"), "filter": N_("Filter"),
    "filter_text": N_("name, id, file or message"), "all_statuses": N_("all statuses"),
    "shown": N_("shown"), "yes": N_("yes"), "similarity": N_("Similarity report (copied work)"),
    "back": N_("Back to the summary"), "tests": N_("Tests (failing first)"), "points": N_("points"),
    "hint": N_("hint"), "derivation": N_("Derivation (derivation.md)"),
    "first_bad": N_("first step that does not follow: line {line}"), "notes": N_("notes"),
    "passed_tests": N_("Passed tests ({count})"), "no_report": N_("No report: this entry was not graded."),
    "stats": N_("Scores of graded submissions: mean {mean}, median {median}, min {min}, max {max}."),
    "sort": N_("Click a column title to sort."), "metrics": N_("measured"),
    "photos": N_("Handed in as a photo or PDF: grade it by hand in reviews.csv"),
}


def labels(tr: Renderer) -> dict[str, str]:
    """The page's fixed words in `tr`'s language (those with placeholders are formatted where used)."""
    return {key: tr(_(value)) for key, value in LABELS.items()}


@lru_cache(maxsize=1)
def _environment() -> Any:
    import jinja2

    return jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATES)), autoescape=True,
                              undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)


def _asset(name: str) -> str:
    return (TEMPLATES / name).read_text(encoding="utf-8")


def _hash(source: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(source.encode("utf-8")).digest()).decode() + "'"


def csp(style: str, script: str | None) -> str:
    """A Content-Security-Policy that allows this page's one style and one script, by hash, and nothing else."""
    scripts = _hash(script) if script is not None else "'none'"
    return (f"default-src 'none'; style-src {_hash(style)}; script-src {scripts}; img-src data:; "
            "base-uri 'none'; form-action 'none'")


def _page(template: str, context: dict[str, Any], script: str | None) -> bytes:
    style = _asset("dashboard.css")
    page = {"style": style, "script": script, "csp": csp(style, script)}
    return _environment().get_template(template).render(page=page, **context).encode("utf-8")


def _html_lang(tr: Renderer) -> str:
    return "zh-CN" if tr.lang.startswith("zh") else "en"


def _chart(bins: list[tuple[str, int]]) -> dict[str, Any]:
    """SVG geometry of the histogram: bars with their integer counts, in a 600x240 box."""
    peak = max((c for _label, c in bins), default=0) or 1
    width, height, base = 560 / len(bins), 180, 200
    bars = [{"x": 30 + i * width, "w": width - 4, "h": c / peak * height, "y": base - c / peak * height,
             "count": c, "label": label, "cx": 30 + i * width + (width - 4) / 2} for i, (label, c) in enumerate(bins)]
    return {"bars": bars, "base": base}


def _stats(scores: list[float], tr: Renderer) -> str:
    import statistics

    if not scores:
        return ""
    return tr(_(LABELS["stats"]).format(mean=f"{statistics.mean(scores):.1f}",
                                        median=f"{statistics.median(scores):.1f}",
                                        min=f"{min(scores):g}", max=f"{max(scores):g}"))


def _student_entry(row: Any, report: Report | None, href: str, tr: Renderer) -> dict[str, Any]:
    failing = sum(t.status != "passed" for t in report.tests) if report else 0
    return {"href": href, "student_id": text(row.student_id, tr), "name": text(row.name, tr),
            "status": row.status, "status_label": status_label(row.status, tr), "graded": report is not None,
            "score": num(row.score),
            "max": num(row.max_score), "late": row.late, "file": text(row.file, tr),
            "message": text(row.message, tr), "failing": failing}


def index_context(rows: list[tuple[Any, Report | None]], names: list[str], similarity: bool,
                  tr: Renderer) -> dict[str, Any]:
    """Everything index.html shows, as plain values (text already rendered and cleaned)."""
    reports = [rep for row, rep in rows if rep is not None and row.status == "graded"]
    graded = [row for row, _rep in rows if row.status == "graded"]
    max_score = max((row.max_score for row, _rep in rows), default=100.0)
    statuses = Counter(row.status for row, _rep in rows)
    assignment = reports[0].assignment if reports else ""
    return {"lang": _html_lang(tr), "L": labels(tr),
            "title": tr(_(LABELS["title"]).format(assignment=text(assignment, tr))),
            "statuses": [{"status": s, "label": status_label(s, tr), "count": n} for s, n in sorted(statuses.items())],
            "total": len(rows), "late": tr(_(LABELS["late_count"]).format(count=sum(r.late for r, _rep in rows))),
            "stats": _stats([r.score for r in graded], tr),
            "chart": _chart(histogram([r.score for r in graded], max_score)),
            "parts": [{"name": text(p, tr), "mean": f"{m:.0f}"} for p, m in part_means(reports)],
            "items": [_item_entry(i) for i in item_analysis(reports, tr)],
            "students": [_student_entry(row, rep, f"{STUDENTS}/{quote(name)}", tr)
                         for (row, rep), name in zip(rows, names)],
            "similarity": similarity}


def _item_entry(item: Item) -> dict[str, Any]:
    d = "" if item.discrimination is None else f"{item.discrimination:+.2f}"
    return {"name": plain_lines(item.name), "part": plain_lines(item.part), "passed": item.passed,
            "total": item.total, "rate": f"{item.rate:.0%}", "rate_value": f"{item.rate:.4f}",
            "discrimination": d, "failures": item.failures, "hints": item.hints}


def _test_entry(t: TestResult, tr: Renderer) -> dict[str, Any]:
    return {"name": plain_lines(short_name(t)), "part": plain_lines(t.part), "status": t.status,
            "status_label": status_label(t.status, tr), "points": f"{num(t.score)}/{num(t.max_score)}",
            "message": text(t.message, tr), "hint": text(t.hint, tr)}


def _derivation(report: Report | None, source: str | None, tr: Renderer) -> dict[str, Any] | None:
    """The derivation's lines with the first bad step marked (the line a failed chain's message names)."""
    if not source:
        return None
    bad = next((first_bad_line(t.message) for t in (report.tests if report else ())
                if "::derivation_" in t.name and t.status != "passed" and first_bad_line(t.message)), None)
    lines = [{"no": i, "text": line, "bad": i == bad}
             for i, line in enumerate(plain_lines(source).split("\n"), start=1)]
    return {"lines": lines, "note": tr(_(LABELS["first_bad"]).format(line=bad)) if bad else ""}


def _failing_first(t: TestResult) -> tuple[bool, float, str]:
    return (t.status == "passed", t.score - t.max_score, t.name)


def student_context(row: Any, report: Report | None, derivation: str | None, tr: Renderer,
                    photos: list[dict[str, str]] = ()) -> dict[str, Any]:
    """Everything one student's page shows: the row, failing tests first, parts, metrics, derivation, photos."""
    tests = sorted(report.tests, key=_failing_first) if report else []
    parts = report.parts() if report else {}
    return {"lang": _html_lang(tr), "L": labels(tr), "row": _student_entry(row, report, "", tr),
            "title": " ".join(x for x in (text(row.student_id, tr), text(row.name, tr)) if x) or text(row.file, tr),
            "report": report is not None,
            "notes": [text(n, tr) for n in (report.notes if report else ())],
            "report_message": text(report.message, tr) if report else "",
            "parts": [{"name": plain_lines(p), "points": f"{num(got)}/{num(top)}"} for p, (got, top) in parts.items()],
            "failing": [_test_entry(t, tr) for t in tests if t.status != "passed"],
            "passed": [_test_entry(t, tr) for t in tests if t.status == "passed"],
            "passed_title": tr(_(LABELS["passed_tests"]).format(count=sum(t.status == "passed" for t in tests))),
            "derivation": _derivation(report, derivation, tr),
            "metrics": [{"name": plain_lines(k), "value": f"{v:.4g}"} for k, v in sorted(row.metrics.items())]
            if getattr(row, "metrics", None) else [],
            "photos": [dict(p, name=text(p["name"], tr)) for p in photos]}


def dashboard_files(rows: list[tuple[Any, Report | None]], outdir: Path, tr: Renderer,
                    derivations: Mapping[str, str] | None = None,
                    photos: Mapping[str, list[Photo]] | None = None) -> dict[Path, bytes]:
    """index.html and students/*.html by path, rendered in `tr`'s language (written by the caller, atomically).

    Links OUTDIR/similarity/index.html when `grade similar` already wrote it. A student's handed-in photos
    (derivations to grade by hand) show on their page; those not embedded go to students/files/<page>/."""
    names = page_names(row for row, _rep in rows)
    similarity = (outdir / "similarity" / "index.html").is_file()
    files = {outdir / "index.html": _page("index.html", index_context(rows, names, similarity, tr), _asset("dashboard.js"))}
    for (row, report), name in zip(rows, names):
        source = (derivations or {}).get(row.student_id) if row.status in ("graded", "needs_review") else None
        shown, linked = photo_entries((photos or {}).get(row.student_id, []) if report else [],
                                      f"files/{name.removesuffix('.html')}")
        files |= {outdir / STUDENTS / path: data for path, data in linked.items()}
        files[outdir / STUDENTS / name] = _page("student.html", student_context(row, report, source, tr, shown), None)
    return files
