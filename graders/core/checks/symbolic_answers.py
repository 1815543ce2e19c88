"""Answer and derivation blocks of every part that declares keys, checked in the parent (hidden mode only)."""
from __future__ import annotations

from graders.core.scoring import Outcome
from graders.core.spec import Spec
from graders.core.submission import Submission


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
