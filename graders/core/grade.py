"""grade_submission: the library entry point that turns a submission into a Report."""
from __future__ import annotations

import platform
import time
from pathlib import Path
from typing import Any

from graders.core import rules as static_rules
from graders.core.dataset import check_data
from graders.core.golden import GoldenStore
from graders.core.report import Report
from graders.core.runner import GradingPlugin, run_suites
from graders.core.sandbox import Session, Template, WorkerFault
from graders.core.scoring import Outcome, score_part, total
from graders.core.spec import Spec, load_assignment
from graders.core.submission import Submission, load_submission
from graders.errors import SubmissionError
from graders.i18n import _, language



def resolve_device(device: str) -> str:
    """auto -> cuda when available, else cpu; cuda without a GPU is a usage error."""
    import torch

    if device == "auto":
        return "cuda" if torch.cuda.is_available() else "cpu"
    if device == "cuda" and not torch.cuda.is_available():
        raise SubmissionError(_("--device cuda was asked for, but no CUDA GPU is available here"))
    return device


def _environment(device: str, confinement: dict[str, list[str]], peak_mb: float | None,
                 workers: int) -> dict[str, Any]:
    """Where it ran; `workers`: the fresh children this submission needed (1 unless its code crashed or hung)."""
    import torch

    return {"device": device, "torch": torch.__version__.split("+")[0], "python": platform.python_version(),
            "sandbox": confinement.get("applied", []), "sandbox_missing": confinement.get("missing", []),
            "worker_peak_mb": peak_mb, "workers": workers}


def _suite_files(spec: Spec, public_only: bool) -> dict[Path, str]:
    """Test file -> part, for the hidden suites or the public tests."""
    if public_only:
        folder = spec.exercises_dir / "tests"
        return {folder / p.suite: p.name for p in spec.parts if (folder / p.suite).is_file()}
    return {spec.grader_dir / p.suite: p.name for p in spec.parts if (spec.grader_dir / p.suite).is_file()}


def rule_outcomes(spec: Spec, submission: Submission, visibility: str, working: set[str]) -> list[Outcome]:
    """One test per declared static rule, checked on the source by the parent.

    A rule is only judged for a part where some test passed: an empty stub does
    not earn the "own implementation" points."""
    outcomes = []
    for part in spec.parts:
        if part.name not in working:
            outcomes += [Outcome(name=f"{part.name}::{r.name}", part=part.name, status="skipped",
                                 weight=part.weight(f"{part.name}::{r.name}"), visibility=visibility,
                                 message=_("not judged: no test of this part passed yet")) for r in part.rules]
            continue
        for rule in part.rules:
            found = static_rules.find_violations(submission.sources, rule.functions, rule.forbid)
            name = f"{part.name}::{rule.name}"
            message = "; ".join(v.describe() for v in found[:3])
            outcomes.append(Outcome(name=name, part=part.name, status="failed" if found else "passed",
                                    weight=part.weight(name), message=message, hint=_(rule.hint) if found else "",
                                    visibility=visibility))
    return outcomes


def symbolic_outcomes(spec: Spec, submission: Submission) -> list[Outcome]:
    """Answer and derivation blocks of every part that declares keys (hidden mode only)."""
    from graders.core.derivations import derivation_outcomes
    from graders.core.symbolic import load_keys

    outcomes = []
    for part in spec.parts:
        if part.keys and (spec.grader_dir / part.keys).is_file():
            keys = load_keys(spec.grader_dir / part.keys)
            outcomes += derivation_outcomes(part, submission.markdown, keys)
    return outcomes


def expose_hidden_package(spec: Spec) -> None:
    """Let hidden suites import their helpers (`graders.hw03.wrong`) from the course in use.

    With an installed engine and GRADERS_COURSE elsewhere (the Gradescope
    autograder), the course's graders/ folder joins the package's search path."""
    import graders

    folder = str(spec.course_root / "graders")
    if spec.grader_dir.is_dir() and folder not in graders.__path__:
        graders.__path__.append(folder)


def _run_tests(spec: Spec, session: Session, public_only: bool, data: Path | None = None) -> list[Outcome]:
    expose_hidden_package(spec)
    files = _suite_files(spec, public_only)
    if not files:
        return []
    by_path = {p.resolve(): part for p, part in files.items()}
    plugin = GradingPlugin(
        part_of=lambda path: by_path.get(Path(path).resolve(), "unknown"), student=session.student,
        golden=GoldenStore(spec.reference_dir / "golden"), device=session.device,
        weight=lambda part, name: spec.part(part).weight(name),
        visibility="visible" if public_only else "hidden", spec=spec, data_path=data)
    return run_suites(list(files), plugin, rootdir=next(iter(files)).parent)


def _confinement(session: Session) -> dict[str, list[str]]:
    try:
        return session.student("_probe").confinement()
    except WorkerFault as exc:
        return {"applied": [], "missing": [_("sandbox probe failed: {error}").format(error=exc)]}


def _score(spec: Spec, outcomes: list[Outcome]) -> list:
    results = []
    for part in spec.parts:
        mine = [o for o in outcomes if o.part == part.name]
        if mine:
            results += score_part(part.points, mine)
    return results


def grade_loaded(spec: Spec, submission: Submission, template: Template, *, public_only: bool = False,
                 device: str = "cpu", time_limit_s: float | None = None, data: Path | None = None) -> Report:
    """Grade an already loaded submission with a running template (`data`: a checked --data file)."""
    start = time.monotonic()
    # The symbolic checks need no worker: they run while the template may still be warming up.
    symbolic = [] if public_only else symbolic_outcomes(spec, submission)
    session = Session(spec, submission, template, device=device, time_limit_s=time_limit_s,
                      hidden=(str(data),) if data else ())
    try:
        confinement = _confinement(session)
        visibility = "visible" if public_only else "hidden"
        outcomes = _run_tests(spec, session, public_only, data) + symbolic
        working = {o.part for o in outcomes if o.status == "passed"}
        outcomes += rule_outcomes(spec, submission, visibility, working)
    finally:
        session.close()
    results = _score(spec, outcomes)
    score, max_score = total(results)
    notes = list(submission.notes) + [_("sandbox: {measure} unavailable on this host").format(measure=_(m))
                                      for m in confinement["missing"]]
    return Report(assignment=spec.id, submission=submission.id, status="graded", score=score,
                  max_score=max_score, duration_s=round(time.monotonic() - start, 3),
                  environment=_environment(device, confinement, session.slot.peak_mb, session.slot.spawned),
                  tests=tuple(results), notes=tuple(notes), public_only=public_only)


def rejected(spec_id: str, submission: str, message: str, status: str = "rejected", max_score: float = 0.0) -> Report:
    """A report for a submission that could not be graded at all."""
    return Report(assignment=spec_id, submission=submission, status=status, score=0.0, max_score=max_score,
                  duration_s=0.0, message=message)


def grade_submission(assignment: str | Spec, submission: str | Path, *, public_only: bool | None = None,
                     device: str = "auto", time_limit_s: float | None = None,
                     template: Template | None = None, lang: str | None = None,
                     data: str | Path | None = None) -> Report:
    """Grade one submission (folder, .py, .zip or .ipynb) of an assignment; never raises for bad input.

    Messages and hints are in `lang` ("zh", "en"; default: the current language, see graders.i18n).
    `data` is an instructor's data file for assignments that take one (`--data`);
    an unusable one raises DataError (a usage error) before anything is graded."""
    with language(lang):
        return _grade_submission(assignment, submission, public_only=public_only, device=device,
                                 time_limit_s=time_limit_s, template=template, data=data)


def _grade_submission(assignment: str | Spec, submission: str | Path, *, public_only: bool | None,
                      device: str, time_limit_s: float | None, template: Template | None,
                      data: str | Path | None) -> Report:
    spec = assignment if isinstance(assignment, Spec) else load_assignment(assignment)
    data = check_data(spec, data) if data is not None else None
    own = template is None
    template = template or Template()  # starts importing torch while we read the submission
    try:
        try:
            loaded = load_submission(submission, spec)
            device = resolve_device(device)
        except SubmissionError as exc:
            return rejected(spec.id, str(submission), str(exc), max_score=spec.max_score)
        hidden = spec.has_hidden_suites if public_only is None else not public_only
        return grade_loaded(spec, loaded, template, public_only=not hidden, device=device,
                            time_limit_s=time_limit_s, data=data)
    finally:
        if own:
            template.close()
