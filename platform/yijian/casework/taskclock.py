"""A task's own deadline: the day it opened plus its working days, plus its chain's stops.

Kept apart from the fold (``casework.tasks``) because it is the one place the calendar is
read for tasks: a step of 0 days is due the day it opens (即办); a finished stop (特别程序,
补正 after acceptance) adds the working days it lasted (while a stop is open the task shows as
suspended, and its deadline moves when the stop ends).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from yijian.calendar.workdays import traffic_light

__all__ = ["due_of", "light_of"]


def due_of(
    opened: date, days: int, stops: Sequence[tuple[date, date | None]], calendar: Any
) -> date | None:
    """The last day of the task, or None when the calendar cannot count it (a year without
    a calendar file: the queue shows such tasks first, marked, rather than a guessed date)."""
    if calendar is None:
        return None
    try:
        paused = sum(
            calendar.workdays_between(start, end)
            for start, end in stops
            if end is not None and end > opened
        )
        return calendar.add_workdays(opened, days + paused) if days + paused else opened
    except LookupError:
        return None


def light_of(due: date | None, today: date, calendar: Any) -> str:
    """The case clock's lights (``calendar.workdays.traffic_light``); red when the deadline
    is unknown, so the task is looked at rather than forgotten."""
    if due is None or today > due:
        return "red"
    if calendar is None:
        return "green"
    try:
        return traffic_light(today, due, calendar)
    except LookupError:
        return "red"
