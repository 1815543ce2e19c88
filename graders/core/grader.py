"""Grader: the one entry point that grades submissions, holding one warm sandbox template for its lifetime.

The CLI, batch pool processes, `grade check`, `grade reference` and the warm server
each keep one Grader; grade_submission makes one for a single call. The template
(the fork server that imports torch once) starts on first use, or at `start()`
for callers that want torch importing while they do other work.
"""
from __future__ import annotations

import os
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterator

from graders.core.spec import Spec, load_assignment

if TYPE_CHECKING:
    from graders.core.report import Report
    from graders.core.sandbox import Session, Template
    from graders.core.scoring import Outcome
    from graders.core.submission import Submission


class Grader:
    """Grades submissions on one warm template; a context manager that closes the template it started.

    `template`: an already running one to use instead (left running by close()).
    `fork`: the template is forked from this process once it has imported torch (one torch import
    instead of two: the cold `grade HW`); only before this process loads any assignment."""

    def __init__(self, template: Template | None = None, allow_unconfined: bool | None = None,
                 fork: bool = False) -> None:
        self._template = template
        self._own = template is None
        self._fork = fork
        # hidden suites on a host without the Linux sandbox: only when forced (here or GRADERS_ALLOW_UNCONFINED=1)
        self.allow_unconfined = allow_unconfined if allow_unconfined is not None else \
            os.environ.get("GRADERS_ALLOW_UNCONFINED") == "1"

    @property
    def template(self) -> Template:
        """The warm template, started now if it is not yet."""
        if self._template is None:
            from graders.core.sandbox import Template
            from graders.core.sandbox.parent.spawned import SpawnedTemplate, needs_spawned_workers

            # Windows, macOS: a spawned worker per session (no fork server, no Linux confinement)
            spawned = needs_spawned_workers()
            self._template = SpawnedTemplate() if spawned else Template(fork=self._fork)  # type: ignore[assignment]
        return self._template

    def start(self, wait: bool = False) -> "Grader":
        """Start the template now (torch imports in the background); `wait`: until it is ready."""
        if wait:
            self.template.wait_ready()
        else:
            self.template  # noqa: B018 - the property starts it
        return self

    def session(self, spec: Spec, submission: Submission, **options: Any) -> Session:
        """A sandbox session for one submission on this grader's template (Session's options)."""
        from graders.core.sandbox import Session

        return Session(spec, submission, self.template, **options)

    def grade(self, assignment: str | Spec, submission: str | Path | Submission, *,
              public_only: bool | None = None, device: str = "auto", time_limit_s: float | None = None,
              data: str | Path | None = None, early: Callable[[], list[Outcome] | None] | None = None) -> Report:
        """Grade one submission (folder, .py, .zip, .ipynb, or one already loaded); never raises for bad input.

        `public_only`: None grades the hidden suites when the assignment has them.
        `device`: "auto", "cpu" or "cuda". Messages and hints are data (graders.i18n.Message):
        render the report in a language with graders.core.formats.render. `data` is an
        instructor's data file for assignments that take one (`--data`); an unusable
        one raises DataError (a usage error) before anything is graded. `early`: the derivations'
        outcomes, checked in parallel (graders.core.checks.symbolic_answers.start_symbolic)."""
        near = Path(submission) if isinstance(submission, (str, Path)) else None
        spec = assignment if isinstance(assignment, Spec) else load_assignment(assignment, near=near)
        return self._grade(spec, submission, public_only, device, time_limit_s, data, early)

    def _grade(self, spec: Spec, submission: str | Path | Submission, public_only: bool | None, device: str,
               time_limit_s: float | None, data: str | Path | None,
               early: Callable[[], list[Outcome] | None] | None = None) -> Report:
        from graders.core.dataset import check_data
        from graders.core.environment import resolve_device
        from graders.core.grade import grade_loaded, rejected
        from graders.core.submission import Submission, load_submission
        from graders.errors import SubmissionError

        data = check_data(spec, data) if data is not None else None
        template = self.template  # starts importing torch while we read the submission
        try:
            loaded = submission if isinstance(submission, Submission) else load_submission(submission, spec)
            device = resolve_device(device)
        except SubmissionError as exc:
            return rejected(spec.id, str(submission), exc.message, max_score=spec.max_score)
        hidden = spec.has_hidden_suites if public_only is None else not public_only
        if hidden:
            self._refuse_unconfined(spec)
        return grade_loaded(spec, loaded, template, public_only=not hidden, device=device,
                            time_limit_s=time_limit_s, data=data, early=early)

    def _refuse_unconfined(self, spec: Spec) -> None:
        """Hidden suites never run where student code is not confined, unless forced: it could read them."""
        from graders.core.sandbox.parent.spawned import SpawnedTemplate
        from graders.errors import GradersError
        from graders.i18n import _

        if isinstance(self._template, SpawnedTemplate) and not self.allow_unconfined:
            raise GradersError(_("{assignment}: the hidden suites are graded only in the Linux sandbox, which this "
                                 "host lacks; grade with --public-only, or set GRADERS_ALLOW_UNCONFINED=1 to grade "
                                 "them unconfined anyway").format(assignment=spec.id))

    def close(self) -> None:
        """Stop the template this grader started (one it was given keeps running)."""
        if self._own and self._template is not None:
            self._template.close()
        self._template = None if self._own else self._template

    def __enter__(self) -> "Grader":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


@contextmanager
def using(grader: Grader | None) -> Iterator[Grader]:
    """`grader` when given (left open), else a fresh one closed on exit."""
    if grader is not None:
        yield grader
        return
    with Grader() as own:
        yield own
