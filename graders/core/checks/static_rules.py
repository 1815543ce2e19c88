"""Declared static rules (e.g. "own implementation, no torch.nn.functional"), checked on the source by the parent."""
from __future__ import annotations

from graders.core import rules as static_rules
from graders.core.scoring import Outcome
from graders.core.spec import Part, Spec
from graders.core.submission import Submission
from graders.i18n import _, join_messages


def _not_judged(part: Part, visibility: str) -> list[Outcome]:
    return [Outcome(name=f"{part.name}::{r.name}", part=part.name, status="skipped",
                    weight=part.weight(f"{part.name}::{r.name}"), visibility=visibility,
                    message=_("not judged: no test of this part passed yet")) for r in part.rules]


def _judged(part: Part, submission: Submission, visibility: str) -> list[Outcome]:
    outcomes = []
    for rule in part.rules:
        found = static_rules.find_violations(submission.sources, rule.functions, rule.forbid)
        name = f"{part.name}::{rule.name}"
        message = join_messages("; ", [v.describe() for v in found[:3]])
        outcomes.append(Outcome(name=name, part=part.name, status="failed" if found else "passed",
                                weight=part.weight(name), message=message, hint=_(rule.hint) if found else "",
                                visibility=visibility))
    return outcomes


def rule_outcomes(spec: Spec, submission: Submission, visibility: str, working: set[str]) -> list[Outcome]:
    """One test per declared static rule.

    A rule is only judged for a part where some test passed (`working`): an empty
    stub does not earn the "own implementation" points."""
    outcomes = []
    for part in spec.parts:
        judge = _judged(part, submission, visibility) if part.name in working else _not_judged(part, visibility)
        outcomes += judge
    return outcomes
