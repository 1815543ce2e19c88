"""The grading pipeline: a loaded submission goes through each check in turn, then is scored into a Report.

    symbolic answers  (parent only: runs while the template may still be warming up)
    pytest suites     (hidden, or public with public_only, against the sandboxed worker)
    static rules      (only for parts where some test passed)
    scoring           (per part, then the total)

Choosing the assignment, device and data, loading the submission and keeping a
warm template are graders.core.grader.Grader's business; grade_submission is the
one-call convenience around it.
"""
from __future__ import annotations

import time
from pathlib import Path
from typing import Callable

from graders.core.checks.local_derivations import local_derivation_outcomes
from graders.core.checks.pytest_suites import suite_outcomes
from graders.core.checks.static_rules import rule_outcomes
from graders.core.checks.symbolic_answers import symbolic_outcomes
from graders.core.environment import confinement, environment, sandbox_notes
from graders.core.report import Report, TestResult
from graders.core.sandbox import Session, Template
from graders.core.scoring import Outcome, score_part, total
from graders.core.spec import Spec
from graders.core.submission import Submission


def _score(spec: Spec, outcomes: list[Outcome]) -> list[TestResult]:
    results = []
    for part in spec.parts:
        mine = [o for o in outcomes if o.part == part.name]
        if mine:
            results += score_part(part.points, mine)
    return results


def _worker_checks(spec: Spec, session: Session, public_only: bool, data: Path | None,
                   symbolic: list[Outcome]) -> list[Outcome]:
    """The suites, then the rules of the parts that now work (symbolic outcomes count as working)."""
    outcomes = suite_outcomes(spec, session, public_only, data) + symbolic
    working = {o.part for o in outcomes if o.status == "passed"}
    return outcomes + rule_outcomes(spec, session.submission, "visible" if public_only else "hidden", working)


def grade_loaded(spec: Spec, submission: Submission, template: Template, *, public_only: bool = False,
                 device: str = "cpu", time_limit_s: float | None = None, data: Path | None = None,
                 early: Callable[[], list[Outcome] | None] | None = None) -> Report:
    """Grade an already loaded submission with a running template (`data`: a checked --data file;
    `early`: the derivations' outcomes, checked elsewhere meanwhile (symbolic_answers.start_symbolic))."""
    start = time.monotonic()
    symbolic = early() if early is not None else None
    if symbolic is None:
        symbolic = local_derivation_outcomes(spec, submission) if public_only else symbolic_outcomes(spec, submission)
    session = Session(spec, submission, template, device=device, time_limit_s=time_limit_s,
                      hidden=(str(data),) if data else ())
    try:
        confined = confinement(session)
        outcomes = _worker_checks(spec, session, public_only, data, symbolic)
    finally:
        session.close()
    results = _score(spec, outcomes)
    score, max_score = total(results)
    return Report(assignment=spec.id, submission=submission.id, status="graded", score=score,
                  max_score=max_score, duration_s=round(time.monotonic() - start, 3),
                  environment=environment(device, confined, session.slot.peak_mb, session.slot.spawned),
                  tests=tuple(results), notes=tuple(submission.notes) + tuple(sandbox_notes(confined)),
                  public_only=public_only, unchecked=unchecked_parts(spec, results) if public_only else {})


def unchecked_parts(spec: Spec, results: list[TestResult]) -> dict[str, float]:
    """Parts whose points no local check awards (no public test, or key-free checks only): graded at submission."""
    checked = {r.part for r in results if r.max_score > 0}
    return {p.name: p.points for p in spec.parts if p.name not in checked and p.points > 0}


def rejected(spec_id: str, submission: str, message: str, status: str = "rejected", max_score: float = 0.0) -> Report:
    """A report for a submission that could not be graded at all."""
    return Report(assignment=spec_id, submission=submission, status=status, score=0.0, max_score=max_score,
                  duration_s=0.0, message=message)


def grade_submission(assignment: str | Spec, submission: str | Path | Submission, *,
                     public_only: bool | None = None, device: str = "auto", time_limit_s: float | None = None,
                     template: Template | None = None,
                     data: str | Path | None = None) -> Report:
    """Grade one submission (folder, .py, .zip or .ipynb) of an assignment; never raises for bad input.

    A one-call Grader: on `template` when given (left running), else on its own,
    closed when done. See graders.core.grader.Grader.grade for the options."""
    from graders.core.grader import Grader

    with Grader(template) as grader:
        return grader.grade(assignment, submission, public_only=public_only, device=device,
                            time_limit_s=time_limit_s, data=data)
