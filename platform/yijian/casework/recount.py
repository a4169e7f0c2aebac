"""Calendar changes never move a deadline silently: find the cases whose date would change.

Policy (issue 8; docs/casework.md "Calendar changes"):

* **Next year's file extends counting.** A deadline that counted into a year with no file was
  unknown (``None``, never guessed); once the file arrives it becomes known. Nothing shown
  changes, so nothing is recorded.
* **A changed day already counted is an audited event.** When a published file is corrected
  (a 调休 added, a holiday moved), counting the same working days may end on another date.
  The date the applicant was told is a fact recorded on the event that set it (``accepted``,
  ``tolerant_accepted``, ``extended``: ``data.deadline``; each ``calendar_changed``:
  ``data.now``). :func:`recheck` compares it with today's count; the caller appends a
  ``calendar_changed`` {was, now} event (``office.deadlines`` in ``yijian worker``) so the
  timeline says why the date moved. The clock always counts on the current files: the event
  explains the new date, it does not keep the old one.
* :func:`recheck_calendars` answers the same question before a calendar is swapped (old and
  new files side by side), with the changed days that moved the date, for a preview or a
  ``yijian check`` of a calendar edit.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from yijian.casework import kinds
from yijian.casework.count import case_clock
from yijian.runtime.deadline import PromisedLimit

__all__ = ["Moved", "changed_days", "recheck", "recheck_calendars", "shown_deadline"]


@dataclass(frozen=True, slots=True)
class Moved:
    """A deadline that the new calendar counts differently, and the days that did it."""

    was: date
    now: date | None  # None: the new calendar cannot count that far
    days: tuple[date, ...]  # days in (accepted, later of the two] whose status changed


def shown_deadline(events: Sequence[Any]) -> str | None:
    """The deadline the applicant was last told (recorded on acceptance, extension and each
    calendar change), as ISO text."""
    for e in reversed(events):
        key = "now" if e.kind == kinds.CALENDAR_CHANGED else "deadline"
        found = (e.data or {}).get(key)
        if found:
            return str(found)
    return None


def recheck(
    events: Sequence[Any], limit: PromisedLimit | None, calendar: Any, today: date
) -> tuple[str, str] | None:
    """(was, now) when counting on ``calendar`` gives another deadline than the one shown —
    a calendar file changed a day already counted. Never applied silently: the caller records
    a ``calendar_changed`` event, which the timeline shows."""
    was = shown_deadline(events)
    if was is None:
        return None
    clock = case_clock(events, limit, calendar, today)
    if clock.deadline is None or clock.closed or clock.deadline.isoformat() == was:
        return None
    return was, clock.deadline.isoformat()


def changed_days(old: Any, new: Any, after: date, until: date) -> tuple[date, ...]:
    """Days in (after, until] that are working days in one calendar and not in the other
    (years only one of them knows are skipped: they extend counting, they change nothing)."""
    out = []
    day = after + timedelta(days=1)
    while day <= until:
        both = day.year in old.years and day.year in new.years
        if both and old.is_workday(day) != new.is_workday(day):
            out.append(day)
        day += timedelta(days=1)
    return tuple(out)


def recheck_calendars(
    events: Sequence[Any], limit: PromisedLimit | None, old: Any, new: Any, today: date
) -> Moved | None:
    """How the case's deadline moves when ``old`` calendar files are replaced by ``new``:
    None when it stays, when the case is closed, or when ``old`` could not count it (then
    ``new`` only extends counting)."""
    before = case_clock(events, limit, old, today)
    after = case_clock(events, limit, new, today)
    if before.closed or before.deadline is None or before.deadline == after.deadline:
        return None
    assert before.accepted_on is not None
    until = max(before.deadline, after.deadline or before.deadline)
    return Moved(before.deadline, after.deadline, changed_days(old, new, before.accepted_on, until))
