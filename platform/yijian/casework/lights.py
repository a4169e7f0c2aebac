"""Traffic lights and the §32 window: how close a date is, in working days.

One rule for every light so the queue, the case page and supervision agree: red once today is
past the last day; yellow when at most ``yellow_days`` working days are left after today (0 on
the last day itself, so with the default 1 the last two working days are yellow); green
otherwise. Working days even for a natural-day limit: the light warns the staff, and they act
on working days (a natural deadline on a Sunday leaves Friday as the last working day).
"""

from __future__ import annotations

from datetime import date
from typing import Any

__all__ = ["WINDOW_DAYS", "light", "window"]

#: 行政许可法 §32: five (working, §82) days to accept, refuse or notify the correction once.
WINDOW_DAYS = 5


def light(
    today: date, last_day: date, calendar: Any, yellow_days: int = 1, left: int | None = None
) -> str:
    """``red`` / ``yellow`` / ``green`` for a limit whose last day is ``last_day``; ``left``:
    the working days after today up to it, when the caller has counted them already.

    Without a calendar for the days in between (a year with no file) the days left are
    counted as natural days: a light that warns early rather than one that is missing."""
    if today > last_day:
        return "red"
    if left is None and calendar is not None:
        try:
            left = calendar.workdays_between(today, last_day)
        except LookupError:
            left = None
    if left is None:
        left = (last_day - today).days
    return "yellow" if left <= yellow_days else "green"


def window(
    received: date, today: date, calendar: Any, yellow_days: int = 1
) -> tuple[int | None, date | None, str]:
    """(working days waited, last day of the §32 window, its light) for an application
    received on ``received`` and still at the window; no calendar for those days: unknown
    (``None, None, "none"``) rather than a guess."""
    if calendar is None:
        return None, None, "none"
    try:
        due = calendar.add_workdays(received, WINDOW_DAYS)
        waited = calendar.workdays_between(received, today)
    except LookupError:
        return None, None, "none"
    return waited, due, light(today, due, calendar, yellow_days)
