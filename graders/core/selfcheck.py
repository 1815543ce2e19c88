"""`grade check HW`: prove an assignment's suite — reference full marks, stubs zero, every sample caught.

Each sample folder in submissions/hwNN/ carries an `expect.toml`:
    trips = ["softmax::stable_for_large_logits"]  # tests that must not pass
    status = "failed"                            # optional: the status those tests must have
    hint = "subtract the max"                    # optional: text a tripped test's hint must contain
    message = "nan"                              # optional: text a tripped test's message must contain
    full_marks = ["ema", "optimizers"]           # parts that must still score full marks
    [credit]                                     # optional: a test's share of its points, [low, high]
    "derivation::derivation_softmax_jacobian" = [0.0, 0.25]
    [with_data]                                  # optional: replaces the keys above under `--data`
    trips = ["model::heldout_accuracy"]
"""
from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from graders.core.grader import Grader
from graders.core.report import Report
from graders.core.spec import Spec
from graders.i18n import _, join_messages

EXPECT_FILE = "expect.toml"


@dataclass(frozen=True)
class Check:
    """One self-check: what was graded, whether it behaved as declared, and why not."""

    name: str
    ok: bool
    detail: str
    score: float = 0.0


def _sample_path(folder: Path) -> Path:
    """A sample is its folder, or the one .zip/.ipynb/.py inside it."""
    singles = [p for p in folder.iterdir() if p.suffix in (".zip", ".ipynb")]
    return singles[0] if len(singles) == 1 else folder


def judge(report: Report, expect: dict[str, Any]) -> list[str]:
    """Problems with a sample's report against its expectations (pure)."""
    problems = []
    by_name = {t.name: t for t in report.tests}
    for name in expect.get("trips", []):
        test = by_name.get(name)
        if test is None:
            problems.append(_("{name}: no such test in the report").format(name=name))
            continue
        if test.status == "passed":
            problems.append(_("{name}: passed, but this sample should trip it").format(name=name))
        if "status" in expect and test.status != expect["status"]:
            problems.append(_("{name}: status {status}, expected {expected}").format(
                name=name, status=test.status, expected=expect["status"]))
        if expect.get("hint", "") not in test.hint:
            problems.append(_("{name}: hint {hint} lacks {expected}").format(
                name=name, hint=repr(test.hint), expected=repr(expect["hint"])))
        if expect.get("message", "") not in test.message:
            problems.append(_("{name}: message {message} lacks {expected}").format(
                name=name, message=repr(test.message), expected=repr(expect["message"])))
    problems += _credit_problems(by_name, expect.get("credit", {}))
    parts = report.parts()
    for part in expect.get("full_marks", []):
        got, top = parts.get(part, (0.0, -1.0))
        if abs(got - top) > 1e-6:
            problems.append(_("part {part}: {got}/{top}, expected full marks").format(
                part=part, got=f"{got:g}", top=f"{top:g}"))
    if report.status != expect.get("report_status", "graded"):
        problems.append(_("report status {status}: {message}").format(status=report.status, message=report.message))
    return problems


def _credit_problems(by_name: dict[str, Any], credit: dict[str, Any]) -> list[str]:
    """Tests whose share of their points is outside the declared [low, high] (partial credit is part of the contract)."""
    problems = []
    for name, (low, high) in credit.items():
        test = by_name.get(name)
        if test is None:
            problems.append(_("{name}: no such test in the report").format(name=name))
            continue
        share = test.score / test.max_score if test.max_score else 0.0
        if not low - 1e-9 <= share <= high + 1e-9:
            problems.append(_("{name}: credit {share} of its points, expected between {low} and {high}").format(
                name=name, share=f"{share:.3g}", low=f"{low:g}", high=f"{high:g}"))
    return problems


def expectations(expect: dict[str, Any], data: Path | None) -> dict[str, Any]:
    """A sample's expectations, with its [with_data] table in force when grading on a --data file (pure)."""
    base = {k: v for k, v in expect.items() if k != "with_data"}
    return {**base, **expect.get("with_data", {})} if data is not None else base


def _full_marks(name: str, report: Report) -> Check:
    ok = report.status == "graded" and abs(report.score - report.max_score) < 1e-6 and report.max_score > 0
    failing = [f"{t.name}: " + t.message for t in report.tests if t.status != "passed"][:3]
    return Check(name, ok, join_messages(" ", [f"{report.score:g}/{report.max_score:g}",
                                                join_messages("; ", failing)]), report.score)


def _zero(name: str, report: Report) -> Check:
    ok = report.status == "graded" and report.score == 0
    passing = [t.name for t in report.tests if t.score > 0][:5]
    detail = f"{report.score:g}/{report.max_score:g}" + (
        _(" (passing: {tests})").format(tests=", ".join(passing)) if passing else "")
    return Check(name, ok, detail, report.score)


def run_checks(spec: Spec, progress: Any = None, data: Path | None = None) -> list[Check]:
    """Grade the reference, the stubs and every sample that declares expectations (`data`: a --data file).

    Samples are graded in English: their expect.toml quotes the English hints."""
    checks = []
    with Grader().start() as grader:
        def grade(path: Path) -> Report:
            return grader.grade(spec, path, public_only=False, device="cpu", data=data)

        checks.append(_full_marks("reference", grade(spec.reference_dir)))
        checks.append(_zero("stubs", grade(spec.exercises_dir)))
        for folder in sorted(p for p in spec.samples_dir.iterdir() if (p / EXPECT_FILE).is_file()):
            expect = expectations(tomllib.loads((folder / EXPECT_FILE).read_text(encoding="utf-8")), data)
            report = grade(_sample_path(folder))
            problems = judge(report, expect)
            checks.append(Check(folder.name, not problems, join_messages("; ", problems) or _("caught as expected"), report.score))
            if progress:
                progress(checks[-1])
    return checks
