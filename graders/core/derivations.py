"""The derivation part: answer and derivation blocks checked against hidden keys, in the parent.

Student text is data: it is parsed by the symbolic package's grammar, never
evaluated. Each check is bounded in time by the checker itself.
"""
from __future__ import annotations

from graders.core.scoring import Outcome
from graders.core.spec import Part
from graders.core.symbolic import Block, Key, check_derivation, check_equivalent, extract_blocks
from graders.i18n import _

ANSWER_TIME_S = 2.0
CHAIN_TIME_S = 5.0


def _find(blocks: list[Block], kind: str, name: str) -> Block | None:
    found = [b for b in blocks if b.kind == kind and b.name == name]
    return found[-1] if found else None


def _missing(kind: str, name: str, block: Block | None) -> str:
    if block is None:
        return _("no ```{kind} {name}``` block found in derivation.md (or the notebook's markdown cells)").format(
            kind=kind, name=name)
    return _("the ```{kind} {name}``` block (derivation.md line {line}) is empty").format(
        kind=kind, name=name, line=block.line)


def answer_outcome(part: Part, blocks: list[Block], key: Key, weight: float) -> Outcome:
    """One answer block against its key."""
    name = f"{part.name}::answer_{key.name}"
    block = _find(blocks, "answer", key.name)
    if block is None or not block.text.strip():
        return Outcome(name=name, part=part.name, status="failed", weight=weight, message=_missing("answer", key.name, block))
    verdict = check_equivalent(block.text, key, time_limit_s=ANSWER_TIME_S)
    status = {"equivalent": "passed", "timeout": "timeout"}.get(verdict.status, "failed")
    where = _("derivation.md line {line}: ").format(line=block.line)
    message = "" if verdict.ok else where + verdict.message
    return Outcome(name=name, part=part.name, status=status, weight=weight, message=message, hint=_(verdict.hint) if verdict.hint else "")


def chain_outcome(part: Part, blocks: list[Block], key: Key, weight: float) -> Outcome:
    """A derivation chain: partial credit for the valid prefix (and the key's milestones), full only when it reaches the key."""
    name = f"{part.name}::derivation_{key.name}"
    block = _find(blocks, "derivation", key.name)
    if block is None or not block.text.strip():
        return Outcome(name=name, part=part.name, status="failed", weight=weight,
                       message=_missing("derivation", key.name, block))
    verdict = check_derivation(block.text, key, time_limit_s=CHAIN_TIME_S, first_line=block.line)
    passed = verdict.status == "valid"
    status = "passed" if passed else ("timeout" if verdict.status == "timeout" else "failed")
    note = verdict.notes[0] if verdict.notes else ""  # a line not read is reported, not failed
    return Outcome(name=name, part=part.name, status=status, weight=weight,
                   message=note if passed else verdict.message, fraction=verdict.fraction)


def derivation_outcomes(part: Part, markdown: str, keys: dict[str, Key], visibility: str = "hidden") -> list[Outcome]:
    """Every declared answer and chain of a part (pure: text and keys in, outcomes out)."""
    blocks = extract_blocks(markdown)
    outcomes = [answer_outcome(part, blocks, keys[n], w) for n, w in part.answers.items()]
    outcomes += [chain_outcome(part, blocks, keys[n], w) for n, w in part.derivations.items()]
    return [o if o.visibility == visibility else _with_visibility(o, visibility) for o in outcomes]


def _with_visibility(outcome: Outcome, visibility: str) -> Outcome:
    from dataclasses import replace

    return replace(outcome, visibility=visibility)
