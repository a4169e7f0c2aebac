"""The arithmetic of the case clock (conventions: ``casework.clock``).

``casework.facts`` reads the events; here the promise is counted from acceptance and moved by
the stops that began in time; ``casework.lights`` colours the result.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from yijian.casework import kinds
from yijian.casework.facts import Facts, read
from yijian.casework.lights import light
from yijian.runtime.deadline import PromisedLimit, deadline_from

__all__ = ["LEGAL_EXTENSION_DAYS", "CaseClock", "case_clock"]

#: 行政许可法 §42: the head of the office may extend by ten (working) days.
LEGAL_EXTENSION_DAYS = 10


@dataclass(frozen=True, slots=True)
class CaseClock:
    received_on: date
    window_due: date | None  # last day of the §32 window (None: no calendar for it)
    window_light: str  # the window's light while the case waits there, else "none"
    deemed_accepted: bool
    accepted_on: date | None
    deadline: date | None  # the promised deadline with suspensions and extensions
    days_left: int | None  # days (the limit's kind) after today up to the deadline; <0 late
    light: str  # green / yellow / red / paused / none
    suspended_days: int  # counted, in the limit's kind of days
    extended_days: int  # working days
    paused: bool
    closed: bool


def _deadline(f: Facts, limit: PromisedLimit, calendar: Any) -> tuple[date | None, int, int]:
    """(deadline or None while paused, days suspended, days extended); raises LookupError."""
    assert f.accepted is not None
    due = deadline_from(f.accepted, limit, calendar)
    suspended = extended = 0
    for stop in f.stops:
        if stop.start > due:  # the time had run out before: nothing later stops or extends it
            continue
        if stop.kind == kinds.EXTENDED:
            extended += stop.days
            due = calendar.add_workdays(due, stop.days) if stop.days else due
            continue
        if stop.end is None:
            return None, suspended, extended
        if limit.workdays:
            days = max(1, calendar.workdays_between(stop.start, stop.end))
            due = calendar.add_workdays(due, days)
        else:
            days = max(1, (stop.end - stop.start).days)
            due += timedelta(days=days)
        suspended += days
    return due, suspended, extended


def case_clock(
    events: Sequence[Any],
    limit: PromisedLimit | None,
    calendar: Any,
    today: date,
    yellow_days: int = 1,
) -> CaseClock:
    """Every date and light of the case whose events are ``events`` (oldest first)."""
    f = read(events, calendar, today)
    waiting = f.status == kinds.STATUS[kinds.SUBMITTED]
    window_light = "none"
    if waiting and f.window_due is not None:
        window_light = light(today, f.window_due, calendar, yellow_days)
    closed = f.status in kinds.CLOSED
    paused = any(s.end is None for s in f.stops)
    deadline = left = None
    suspended = extended = 0
    if f.accepted is not None and limit is not None:
        try:
            deadline, suspended, extended = _deadline(f, limit, calendar)
            if deadline is not None:
                paused = False  # an open suspension begun after the deadline does not pause
                if limit.workdays:
                    left = calendar.workdays_between(today, deadline)
                else:
                    left = (deadline - today).days
        except LookupError:  # a year without a calendar file: no date rather than a wrong one
            deadline = left = None
    state = "none"  # closed, no promise, or no calendar for it
    if not closed and paused:
        state = "paused"
    elif not closed and deadline is not None:
        counted = left if limit is not None and limit.workdays else None
        state = light(today, deadline, calendar, yellow_days, counted)
    return CaseClock(
        f.received, f.window_due, window_light, f.deemed, f.accepted, deadline, left, state,
        suspended, extended, paused, closed,
    )  # fmt: skip
