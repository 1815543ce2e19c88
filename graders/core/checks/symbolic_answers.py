"""Answer and derivation blocks of every part that declares keys, checked in the parent (hidden mode only)."""
from __future__ import annotations

from dataclasses import asdict
from pathlib import Path
from typing import Any, Callable

from graders.core.scoring import Outcome
from graders.core.spec import Spec
from graders.core.submission import Submission
from graders.i18n import from_data, to_data


def symbolic_outcomes(spec: Spec, submission: Submission) -> list[Outcome]:
    """One outcome per answer and derivation of each part whose key file exists."""
    from graders.core.derivations import derivation_outcomes
    from graders.core.symbolic import load_keys

    outcomes = []
    for part in spec.parts:
        if part.keys and (spec.grader_dir / part.keys).is_file():
            keys = load_keys(spec.grader_dir / part.keys)
            outcomes += derivation_outcomes(part, submission.markdown, keys)
    return outcomes


def start_symbolic(assignment: str, submission: Path, public_only: bool | None) -> Callable[[], list[Outcome] | None]:
    """Check the derivations in a trusted child forked now, while this process goes on importing torch.

    For the cold `grade HW`: sympy, lark and the grammar's tables load on the other core. The child
    reads the assignment and its keys; this process has read neither when it forks the worker template
    after its torch import. Returns the call that waits for the outcomes (None: do the check here)."""
    from graders.core.sandbox import start_forked

    forked = start_forked(lambda: [_to_data(o) for o in _outcomes_for(assignment, submission, public_only)])

    def outcomes() -> list[Outcome] | None:
        data = forked.result()
        return None if data is None else [_from_data(d) for d in data]

    return outcomes


def _outcomes_for(assignment: str, submission: Path, public_only: bool | None) -> list[Outcome]:
    """What grade_loaded would compute for the derivations of this submission (hidden keys or local checks)."""
    from graders.core.checks.local_derivations import local_derivation_outcomes
    from graders.core.spec import load_assignment
    from graders.core.submission import load_submission

    spec = load_assignment(assignment, near=submission)
    loaded = load_submission(submission, spec)
    hidden = spec.has_hidden_suites if public_only is None else not public_only
    return symbolic_outcomes(spec, loaded) if hidden else local_derivation_outcomes(spec, loaded)


def _to_data(outcome: Outcome) -> dict[str, Any]:
    data = asdict(outcome)
    data.update(message=to_data(outcome.message), hint=to_data(outcome.hint))
    return data


def _from_data(data: dict[str, Any]) -> Outcome:
    return Outcome(**(data | {"message": from_data(data["message"]), "hint": from_data(data["hint"])}))
