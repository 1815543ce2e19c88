"""Pure planning: who each unit belongs to, which attempt counts, what is rejected outright.

A student's newest attempt counts; the others are listed as superseded. Two exceptions, as an LMS means them:
Canvas files of one submission (the same submission id) are one multi-file submission, graded together; and of
a Moodle student's folders the file submission counts before the online text. Attempts under one student id
that carry different names (`张三_2023000001_hw03.zip`, then `Mallory_2023000001_hw03(1).zip`) are not
settled silently: the plan lists the names, and the batch holds that student's grade for a person.
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass, replace

from graders.core.batch.collect import Rejection, Unit
from graders.core.batch.layouts import Identity, detect_layout, identify, is_receipt, moodle_plugin
from graders.i18n import _

@dataclass(frozen=True)
class Planned:
    """A unit to grade, with the student's other (older) attempts it supersedes.

    `merged`: the download's entries graded together as `unit` (a Canvas multi-file submission), else ().
    `names`: the different names the student's attempts carry, newest first, when there is more than one."""

    unit: Unit
    identity: Identity
    superseded: tuple[Unit, ...] = ()
    merged: tuple[Unit, ...] = ()
    names: tuple[str, ...] = ()


@dataclass(frozen=True)
class Plan:
    graded: tuple[Planned, ...]
    rejected: tuple[Rejection, ...]
    receipts: tuple[Unit, ...]
    layout: str

    @property
    def superseded_count(self) -> int:
        return sum(len(p.superseded) for p in self.graded)

    @property
    def merged_count(self) -> int:
        """Entries graded as part of another entry's submission (each multi-file submission counts once)."""
        return sum(len(p.merged) - 1 for p in self.graded if p.merged)


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


def _order(unit: Unit) -> tuple[str, bool, str]:
    """Newest last: the attempt, then a Moodle file submission over an online text, then the entry's name."""
    assert unit.identity is not None
    return unit.identity.attempt, moodle_plugin(unit.entry + ("/" if unit.is_folder else "")) == "file", unit.entry


def _same_name(name: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", name).casefold().split())


def _names(units: list[Unit]) -> tuple[str, ...]:
    """The different names (ignoring case, width and spacing) of a student's attempts, when more than one."""
    names: dict[str, str] = {}
    for unit in units:
        assert unit.identity is not None
        names.setdefault(_same_name(unit.identity.name), unit.identity.name)
    return tuple(names.values()) if len(names) > 1 else ()


def _merged(units: list[Unit]) -> Unit:
    """Canvas entries of one submission as one folder unit: each file under its own name, a folder's files at
    the top (a name taken twice goes under its entry's name); the entry is the Canvas prefix they share."""
    first = units[0]
    assert first.identity is not None
    files: dict[str, bytes] = {}
    for unit in sorted(units, key=lambda u: u.entry):
        assert unit.identity is not None
        for name, data in unit.files.items():
            name = name if unit.is_folder else (unit.identity.filename or name)
            files[name if name not in files else f"{unit.entry.rstrip('/')}/{name}"] = data
    base, filename = first.entry.rstrip("/"), first.identity.filename
    entry = base[:len(base) - len(filename)].rstrip("_") if filename and base.endswith(filename) else base
    identity = replace(first.identity, filename="", late=any(u.identity and u.identity.late for u in units))
    stamps = [u.modified for u in units if u.modified is not None]
    return Unit(entry or base, first.source, files, is_folder=True, identity=identity,
                modified=max(stamps) if stamps else None)


def _planned(attempts: list[Unit]) -> Planned:
    """The attempt that counts (Canvas files of one submission merged), the others, the names they carry."""
    newest, *older = sorted(attempts, key=_order, reverse=True)
    assert newest.identity is not None
    together = [newest]
    if newest.identity.layout == "canvas":
        together += [u for u in older if u.identity is not None and u.identity.attempt == newest.identity.attempt]
    older = [u for u in older if all(u is not t for t in together)]
    unit = _merged(together) if len(together) > 1 else newest
    assert unit.identity is not None
    return Planned(unit, unit.identity, tuple(older), tuple(together) if len(together) > 1 else (),
                   _names([newest, *older]))


def make_plan(units: list[Unit], rejections: list[Rejection], layout: str = "auto") -> Plan:
    """Identify every unit, keep each student's newest attempt, list the rest (pure)."""
    if layout == "auto":
        layout = detect_layout([u.entry.rstrip("/") + ("/" if u.is_folder else "") for u in units]) if units else "flat"
    receipts = tuple(u for u in units if is_receipt(u.entry))
    candidates = [u for u in units if not is_receipt(u.entry)]
    found, rejected = _identified(candidates, layout)
    by_student: dict[str, list[Unit]] = {}
    for unit in found:
        assert unit.identity is not None
        by_student.setdefault(unit.identity.student_id, []).append(unit)
    graded = [_planned(by_student[student_id]) for student_id in sorted(by_student)]
    return Plan(tuple(graded), _owned(rejections, set(by_student), layout) + tuple(rejected), receipts, layout)


def _owned(rejections: list[Rejection], graded: set[str], layout: str) -> tuple[Rejection, ...]:
    """Rejected entries with the student their name identifies, so the row is that student's (not a stranger's
    beside a `missing` one); a student keeps one row: the graded one, else their first rejected entry."""
    out, owned = [], set(graded)
    for r in rejections:
        identity = r.identity or identify(r.entry, layout) or identify(r.entry.rstrip("/") + "/", layout)
        if identity and identity.student_id not in owned:
            owned.add(identity.student_id)
            r = replace(r, identity=identity)
        out.append(r)
    return tuple(out)
