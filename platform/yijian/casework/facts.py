"""What a case's events say about its clock, read in one pass: receipt, acceptance, stops.

Separate from the arithmetic (``casework.clock``) because reading the events is where the law's
order matters:

* Before acceptance only the window's actions count. A correction answered (``corrected``) is a
  new receipt: the §32 five working days run anew from it (地方"从收到补充材料次日起计算").
* A window action (受理, 容缺受理, 一次性补正, 不予受理) taken after the §32 window's last day
  comes too late: the case already counts as accepted on the day of receipt (``deemed``).
  A late correction notice is then a 补正 *after* acceptance, so it stops the clock until the
  applicant answers (``corrected``), like any ``suspended`` … ``resumed``.
* After acceptance, ``suspended`` (or a late notice) opens a stop and ``resumed`` (or
  ``corrected``) closes it; ``extended`` is a stop of its own with its days. Stops keep the order
  they were opened in, so the clock can tell which began before the deadline.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from yijian.casework import kinds
from yijian.casework.lights import WINDOW_DAYS

__all__ = ["Facts", "Stop", "day_of", "read"]

#: What the window must do within §32's five working days (any one of them ends the wait).
WINDOW_ACTIONS = frozenset(
    {kinds.ACCEPTED, kinds.TOLERANT_ACCEPTED, kinds.CORRECTION_REQUESTED, kinds.REFUSED}
)
_ACCEPTING = frozenset({kinds.ACCEPTED, kinds.TOLERANT_ACCEPTED})


@dataclass(slots=True)
class Stop:
    """A suspension (``days`` 0; ``end`` None while open) or an extension (``days`` > 0)."""

    kind: str
    start: date
    end: date | None
    days: int = 0


@dataclass(slots=True)
class Facts:
    received: date
    window_due: date | None = None
    deemed: bool = False
    accepted: date | None = None
    status: str = "submitted"
    stops: list[Stop] = field(default_factory=list)


def day_of(event: Any) -> date:
    """The event's day in China time (``at`` is an ISO datetime written at +08:00)."""
    return date.fromisoformat(str(event.at)[:10])


def _due(received: date, calendar: Any) -> date | None:
    if calendar is None:
        return None
    try:
        return calendar.add_workdays(received, WINDOW_DAYS)
    except LookupError:
        return None


def read(events: Sequence[Any], calendar: Any, today: date) -> Facts:
    """The facts of ``events`` (oldest first; the first is ``submitted``)."""
    f = Facts(day_of(events[0]))
    open_stop: Stop | None = None
    for e in events:
        kind = e.kind
        if e.status:
            f.status = e.status
        if f.accepted is None:
            if kind == kinds.CORRECTED:
                f.received = day_of(e)
                continue
            if kind not in WINDOW_ACTIONS:
                continue
            day, due = day_of(e), _due(f.received, calendar)
            if due is None or day <= due:
                if kind in _ACCEPTING:
                    f.accepted = day
                continue
            f.deemed, f.accepted = True, f.received  # too late: accepted on the day of receipt
        if kind in (kinds.SUSPENDED, kinds.CORRECTION_REQUESTED) and open_stop is None:
            open_stop = Stop(kinds.SUSPENDED, day_of(e), None)
            f.stops.append(open_stop)
        elif kind in (kinds.RESUMED, kinds.CORRECTED) and open_stop is not None:
            open_stop.end, open_stop = day_of(e), None
        elif kind == kinds.EXTENDED:
            days = int((e.data or {}).get("days", 0))
            f.stops.append(Stop(kinds.EXTENDED, day_of(e), day_of(e), days))
    f.window_due = _due(f.received, calendar)
    waiting = f.status == kinds.STATUS[kinds.SUBMITTED]
    if f.accepted is None and waiting and f.window_due is not None and today > f.window_due:
        f.deemed, f.accepted = True, f.received
    return f
