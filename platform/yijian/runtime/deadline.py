"""The one promised-deadline function: a matter's or bundle's promised limit, counted from a day.

Why one: the case summary, ``yijian test`` and the receipt each counted the deadline their own
way (the receipt read a bundle's declared figure and counted working days even for a 自然日
limit). Everything that shows or checks a promised date now asks :func:`promised_limit` for the
limit and :func:`deadline_from` for the date, so they cannot disagree.

Counting starts the day after ``start`` (期间开始之日不计入): ``add_workdays`` on the working-day
calendar for 工作日 limits, plain days for 自然日. A bundle's limit is the one derived from its
plan (the longest path of its members' routings, docs/bundles.md), in working days.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from yijian.calendar import WorkCalendar
from yijian.compiled.matter import CompiledMatter
from yijian.defs.common import TimeUnit

__all__ = [
    "PromisedLimit",
    "application_limit",
    "deadline_from",
    "promised_deadline",
    "promised_limit",
]


@dataclass(frozen=True, slots=True)
class PromisedLimit:
    """承诺办结时限: how many days, and whether they are working days or natural days."""

    days: int
    unit: TimeUnit = TimeUnit.工作日

    @property
    def workdays(self) -> bool:
        return self.unit == TimeUnit.工作日

    def text(self) -> str:
        """How a citizen reads it: 即办（当场办结） or ``N 个工作日`` / ``N 个自然日``."""
        if self.days == 0:
            return "即办（当场办结）"
        return f"{self.days} 个{'工作日' if self.workdays else '自然日'}"


def promised_limit(m: CompiledMatter) -> PromisedLimit | None:
    """The promised limit of a compiled matter or bundle (None when a bundle declares none)."""
    d: Any = getattr(m, "definition", None)
    limits = getattr(d, "time_limits", None)
    if limits is None:  # a bundle (or a definition summarised without time_limits)
        extra = getattr(m, "extra", None) or {}
        days = extra.get("promised_days", getattr(d, "promised_days", None))
        return PromisedLimit(int(days)) if days is not None else None
    limit = limits.promised
    return PromisedLimit(int(limit.days), limit.unit)


def application_limit(m: CompiledMatter, out: Any) -> PromisedLimit | None:
    """The promise of one application: a bundle's own plan over the members it includes
    (``out.extra["promised_days"]``, the longest path of the included members' steps), never
    the bundle's worst case, which only the guide shows; a single matter's own limit."""
    extra = getattr(out, "extra", None) or {}
    if m.kind == "bundle" and isinstance(extra.get("promised_days"), int):
        return PromisedLimit(int(extra["promised_days"]))
    return promised_limit(m)


def deadline_from(start: date, limit: PromisedLimit, calendar: WorkCalendar | None) -> date:
    """The last day of ``limit`` counted from the day after ``start``.

    Raises ``LookupError`` (``MissingCalendarYear`` is one) when working days must be counted
    into a year that has no calendar file, or when there is no calendar at all: a guessed date
    would be wrong around every holiday.
    """
    if not limit.workdays:
        return start + timedelta(days=limit.days)
    if calendar is None:
        raise LookupError("no working-day calendar: add rules/calendar/cn-<year>.yaml")
    return calendar.add_workdays(start, limit.days)


def promised_deadline(
    m: CompiledMatter, start: date, calendar: WorkCalendar | None, out: Any = None
) -> date | None:
    """``deadline_from`` for the promised limit (of the application ``out`` when given);
    None when there is no limit."""
    limit = application_limit(m, out) if out is not None else promised_limit(m)
    return deadline_from(start, limit, calendar) if limit is not None else None
