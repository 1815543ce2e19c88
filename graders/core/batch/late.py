"""Late policy (pure): a due date, a penalty per day or hour, a grace period, a cap, per-student extensions.

No clock and no I/O: the caller passes the submission time (from the LMS layout or the download) and
gets the lateness and the penalty back. A time without a zone is read in the due date's zone.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from graders.errors import GradersError
from graders.i18n import _

UNITS = {"min": timedelta(minutes=1), "minute": timedelta(minutes=1), "minutes": timedelta(minutes=1),
         "h": timedelta(hours=1), "hour": timedelta(hours=1), "hours": timedelta(hours=1),
         "d": timedelta(days=1), "day": timedelta(days=1), "days": timedelta(days=1)}


@dataclass(frozen=True)
class LatePolicy:
    """`fraction` of the maximum score lost per started `unit` late, after `grace`, at most `cap` of it."""

    due: datetime
    fraction: float = 0.0
    unit: timedelta = timedelta(days=1)
    grace: timedelta = timedelta(0)
    cap: float = 1.0


@dataclass(frozen=True)
class Lateness:
    """How late one submission was and what it costs (0 when on time or the time is unknown)."""

    due: datetime
    submitted: datetime | None
    periods: int
    fraction: float

    @property
    def late(self) -> bool:
        return self.periods > 0


def parse_when(text: str) -> datetime:
    """`2026-12-26 22:00`, `2026-12-26T22:00+08:00` or `2026-12-26T14:00Z` -> datetime."""
    try:
        return datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        raise GradersError(_("{text}: not a date and time (write it as 2026-12-26 22:00 or "
                             "2026-12-26T22:00+08:00)").format(text=text)) from None


def parse_duration(text: str) -> timedelta:
    """`15min`, `2h`, `1.5 days` -> timedelta."""
    m = re.fullmatch(r"\s*\+?(\d+(?:\.\d+)?)\s*([a-z]+)\s*", text.lower())
    if not m or m[2] not in UNITS:
        raise GradersError(_("{text}: not a duration (write it as 15min, 2h or 3d)").format(text=text))
    try:
        return float(m[1]) * UNITS[m[2]]
    except OverflowError:
        raise GradersError(_("{text}: a duration too long to be one (write it as 15min, 2h or 3d)").format(
            text=text)) from None


def parse_percent(text: str) -> float:
    """`50%` or `0.5` -> 0.5."""
    m = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*(%?)\s*", text)
    if not m:
        raise GradersError(_("{text}: not a percentage (write it as 50%)").format(text=text))
    value = float(m[1]) / (100 if m[2] else 1)
    if value > 1:
        raise GradersError(_("{text}: not a percentage (write it as 50%)").format(text=text))
    return value


def parse_penalty(text: str) -> tuple[float, timedelta]:
    """`10%/day` or `2%/hour` -> (0.10, one day)."""
    rate, sep, unit = text.partition("/")
    if not sep or unit.strip().lower() not in ("day", "hour"):
        raise GradersError(_("{text}: not a late penalty (write it as 10%/day or 2%/hour)").format(text=text))
    return parse_percent(rate), UNITS[unit.strip().lower()]


def policy_from(settings: dict[str, Any], *, due: str | None = None, penalty: str | None = None,
                grace: str | None = None, cap: str | None = None) -> LatePolicy | None:
    """The late policy of an assignment's [late] table, each value overridden by the one given (command line).

    None when neither gives a due date. Bad values raise GradersError naming them."""
    when = due if due is not None else settings.get("due")
    if when is None:
        return None
    fraction, unit = parse_penalty(penalty if penalty is not None else settings.get("penalty", "0%/day"))
    return LatePolicy(when if isinstance(when, datetime) else parse_when(when), fraction, unit,
                      parse_duration(grace if grace is not None else settings.get("grace", "0min")),
                      parse_percent(cap if cap is not None else settings.get("cap", "100%")))


def _aligned(when: datetime, due: datetime) -> datetime:
    """`when` in the due date's frame: a naive time is read in the due date's zone."""
    if when.tzinfo is None and due.tzinfo is not None:
        return when.replace(tzinfo=due.tzinfo)
    if when.tzinfo is not None and due.tzinfo is None:
        return when.astimezone().replace(tzinfo=None)
    return when


def assess(policy: LatePolicy, submitted: datetime | None, *, due: datetime | None = None,
           marked_late: bool = False) -> Lateness:
    """The lateness of one submission; `due` is the student's extended due date, `marked_late` the LMS's flag.

    An unknown time is on time unless the LMS marked it late (then one period late)."""
    due = _aligned(due, policy.due) if due is not None else policy.due
    if submitted is None:
        periods = 1 if marked_late else 0
    else:
        late_by = _aligned(submitted, due) - due
        periods = 0 if late_by <= policy.grace else math.ceil(late_by / policy.unit)
    return Lateness(due, submitted, periods, min(policy.cap, periods * policy.fraction))


def penalised(score: float, max_score: float, lateness: Lateness) -> tuple[float, float]:
    """(penalty points, final score): the penalty is a fraction of the maximum, the score never below 0."""
    penalty = round(min(score, lateness.fraction * max_score), 2)
    return penalty, round(score - penalty, 2)


def extended_due(policy: LatePolicy, value: str) -> datetime:
    """An extension cell: a new due date (`2026-12-28 22:00`) or extra time (`+2d`, `48h`)."""
    value = value.strip()
    if re.fullmatch(r"\+?\d+(?:\.\d+)?\s*[a-zA-Z]+", value):
        try:
            return policy.due + parse_duration(value)
        except OverflowError:
            raise GradersError(_("{text}: an extension beyond any date (write it as 2d or 48h, or as a due "
                                 "date)").format(text=value)) from None
    return parse_when(value)
