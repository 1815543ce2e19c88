"""The derivation part checked without its key (public-only mode, the student's own machine).

Why: the keys stay with the hidden suites, but a student can still learn before
handing in that an answer block does not parse or that "step 3 does not follow
from step 2". These outcomes carry no points (weight 0): the part's points are
awarded at submission, and the report says so (Report.unchecked).
"""
from __future__ import annotations

from graders.core.scoring import Outcome
from graders.core.spec import Part, Spec
from graders.core.submission import Submission
from graders.i18n import _

CHAIN_TIME_S = 5.0
_NO_KEY = "0"  # chains are checked step by step; the end is compared with the key only at submission


def _block(blocks: list, kind: str, name: str):  # type: ignore[no-untyped-def]
    found = [b for b in blocks if b.kind == kind and b.name == name and b.text.strip()]
    return found[-1] if found else None


def _outcome(part: Part, name: str, ok: bool, message: str) -> Outcome:
    return Outcome(name=f"{part.name}::{name}", part=part.name, status="passed" if ok else "failed", weight=0.0,
                   message=message, visibility="visible")


def answer_readable(part: Part, blocks: list, name: str) -> Outcome:
    """An answer block is present and parses (its value is compared with the key at submission)."""
    from graders.core.symbolic import ParseError, parse_equation

    block = _block(blocks, "answer", name)
    test = f"answer_{name}_readable"
    if block is None:
        return _outcome(part, test, False, _("no ```answer {name}``` block found").format(name=name))
    try:
        parse_equation(block.text)
    except ParseError as exc:
        return _outcome(part, test, False, _("derivation.md line {line}: cannot read the answer: {error}").format(
            line=block.line, error=str(exc)))
    return _outcome(part, test, True, _("readable; compared with the key at submission"))


def chain_consistent(part: Part, blocks: list, name: str) -> Outcome:
    """Every step of a derivation chain equals the one before (whether it reaches the key: at submission)."""
    from graders.core.symbolic import check_derivation

    block = _block(blocks, "derivation", name)
    test = f"derivation_{name}_steps_follow"
    if block is None:
        return _outcome(part, test, False, _("no ```derivation {name}``` block found").format(name=name))
    verdict = check_derivation(block.text, _NO_KEY, time_limit_s=CHAIN_TIME_S, first_line=block.line)
    if verdict.status in ("invalid", "unparseable", "timeout") or verdict.steps == 0:
        return _outcome(part, test, False, verdict.message or _("no step found in the derivation block"))
    return _outcome(part, test, True, _(
        "all {steps} steps follow one from another; the result is compared with the key at submission").format(steps=verdict.steps))


def local_derivation_outcomes(spec: Spec, submission: Submission) -> list[Outcome]:
    """Key-free checks of every declared answer and derivation block (no points: see the module docstring)."""
    from graders.core.symbolic import extract_blocks

    blocks = extract_blocks(submission.markdown)
    outcomes = []
    for part in spec.parts:
        outcomes += [answer_readable(part, blocks, n) for n in part.answers]
        outcomes += [chain_consistent(part, blocks, n) for n in part.derivations]
    return outcomes
