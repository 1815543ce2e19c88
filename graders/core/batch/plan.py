"""Pure planning: who each unit belongs to, which attempt counts, what is rejected outright."""
from __future__ import annotations

from dataclasses import dataclass, replace

from graders.core.batch.collect import Rejection, Unit
from graders.core.batch.layouts import Identity, detect_layout, identify, is_receipt
from graders.i18n import _

@dataclass(frozen=True)
class Planned:
    """A unit to grade, with the student's other (older) attempts it supersedes."""

    unit: Unit
    identity: Identity
    superseded: tuple[Unit, ...] = ()


@dataclass(frozen=True)
class Plan:
    graded: tuple[Planned, ...]
    rejected: tuple[Rejection, ...]
    receipts: tuple[Unit, ...]
    layout: str

    @property
    def superseded_count(self) -> int:
        return sum(len(p.superseded) for p in self.graded)


def _identified(units: list[Unit], layout: str) -> tuple[list[Unit], list[Rejection]]:
    found, rejected = [], []
    for unit in units:
        identity = identify(unit.entry.rstrip("/") + ("/" if unit.is_folder else ""), layout)
        if identity is None:
            rejected.append(Rejection(unit.entry, unit.source, _(
                "cannot tell whose submission this is: the name fits no {layout} LMS layout "
                "(rename it name_studentid_hwNN.zip)").format(layout=layout if layout != "auto" else _("known"))))
        else:
            found.append(replace(unit, identity=identity))
    return found, rejected


def _newest_first(units: list[Unit]) -> list[Unit]:
    return sorted(units, key=lambda u: (u.identity.attempt, u.entry), reverse=True)


def make_plan(units: list[Unit], rejections: list[Rejection], layout: str = "auto") -> Plan:
    """Identify every unit, keep each student's newest attempt, list the rest (pure)."""
    if layout == "auto":
        layout = detect_layout([u.entry.rstrip("/") + ("/" if u.is_folder else "") for u in units]) if units else "flat"
    receipts = tuple(u for u in units if is_receipt(u.entry))
    candidates = [u for u in units if not is_receipt(u.entry)]
    found, rejected = _identified(candidates, layout)
    by_student: dict[str, list[Unit]] = {}
    for unit in found:
        by_student.setdefault(unit.identity.student_id, []).append(unit)
    graded = []
    for student_id in sorted(by_student):
        newest, *older = _newest_first(by_student[student_id])
        graded.append(Planned(newest, newest.identity, tuple(older)))
    return Plan(tuple(graded), tuple(rejections) + tuple(rejected), receipts, layout)
