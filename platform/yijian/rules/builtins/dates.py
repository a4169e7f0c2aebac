"""Date operators on ISO strings, with working days from an injected calendar.

Dates travel through rules as ``YYYY-MM-DD`` text (that is what forms submit and what JSON
can carry; ISO text also compares correctly with ``<``). A ``YYYY-MM-DDTHH:MM[:SS]`` value is
accepted and its date used. "Today" is the evaluation day of :mod:`yijian.rules.context`, so
``yijian test`` and re-evaluating an old case are reproducible. Bad citizen input gives
``None``; a calendar without the year asked for raises ``LookupError``, which the engine
reports as an evaluation error: a deadline on a missing year is a configuration error.
"""

import calendar as _months
import re
from datetime import date, timedelta
from typing import Protocol

from yijian.rules.context import current_day
from yijian.rules.functions import rule_function

_ISO = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})(?:[T ]([01]\d|2[0-3]):[0-5]\d(?::[0-5]\d(?:\.\d+)?)?)?", re.ASCII
)
_UNITS = ("day", "week", "month", "year")


class WorkCalendar(Protocol):
    """What the working-day operators need (``yijian.calendar.WorkCalendar`` provides it)."""

    def add_workdays(self, start: date, n: int) -> date: ...
    def workdays_between(self, a: date, b: date) -> int: ...
    def is_workday(self, d: date) -> bool: ...


def parse_day(value: object) -> date | None:
    """The date of an ISO date or datetime string; None for anything else."""
    if not isinstance(value, str):
        return None
    match = _ISO.fullmatch(value.strip())
    if match is None:
        return None
    try:
        return date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        return None


def _count(n: object) -> int | None:
    """An integral JSON number (``3`` or ``3.0``), else None; booleans are not counts."""
    if isinstance(n, int) and not isinstance(n, bool):
        return n
    return int(n) if isinstance(n, float) and n.is_integer() else None


def shift(d: date, n: int, unit: str) -> date:
    """``d`` moved by ``n`` units; months and years clamp to the month end (01-31 + 1 month)."""
    if unit in ("day", "week"):
        return d + timedelta(days=n * (7 if unit == "week" else 1))
    months = d.year * 12 + d.month - 1 + n * (12 if unit == "year" else 1)
    year, month = divmod(months, 12)
    last = _months.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(d.day, last))


def full_units(a: date, b: date, unit: str) -> int:
    """Whole units from ``a`` to ``b``, negative when ``b`` is earlier.

    A month or year is complete when the day of month is reached again, so someone born on
    02-29 turns one on 03-01 of a common year (the usual 周岁 reckoning).
    """
    if b < a:
        return -full_units(b, a, unit)
    if unit in ("day", "week"):
        return (b - a).days // (7 if unit == "week" else 1)
    months = (b.year - a.year) * 12 + b.month - a.month - (b.day < a.day)
    return months // 12 if unit == "year" else months


@rule_function("today")
def today() -> str:
    """The evaluation day as ``YYYY-MM-DD``.

    It is the day set for the evaluation (a test case, or the day a case was submitted),
    falling back to the server's date, so the same answers give the same result.

    Example: {"<=": [{"var": "child.birth_date"}, {"today": []}]}
    """
    return current_day().isoformat()


@rule_function("date_add")
def date_add(d: object, n: object, unit: object = "day") -> str | None:
    """The date ``n`` days, weeks, months or years after ``d`` (before it when ``n`` < 0).

    Months and years clamp to the end of the month, so 2024-01-31 plus one month is
    2024-02-29. Gives null when the date, the count or the unit is not valid.

    Example: {"date_add": [{"var": "child.birth_date"}, 6, "month"]}
    """
    day, count = parse_day(d), _count(n)
    if day is None or count is None or unit not in _UNITS:
        return None
    try:
        return shift(day, count, str(unit)).isoformat()
    except (ValueError, OverflowError):
        return None  # before year 1 or after 9999


@rule_function("date_diff")
def date_diff(a: object, b: object, unit: object = "day") -> int | None:
    """The number of whole days, weeks, months or years from ``a`` to ``b``.

    Negative when ``b`` is before ``a``. A month counts once its day of month is reached
    again (2024-01-31 to 2024-02-29 is 0 months, 29 days). Null on an invalid date or unit.

    Example: {"<=": [{"date_diff": [{"var": "event_date"}, {"today": []}, "day"]}, 30]}
    """
    start, end = parse_day(a), parse_day(b)
    if start is None or end is None or unit not in _UNITS:
        return None
    return full_units(start, end, str(unit))


@rule_function("age")
def age(birth: object, on: object = None) -> int | None:
    """Age in full years (周岁) of someone born on ``birth``, on ``on`` (default: today).

    Null when either date is invalid or the birth is after ``on``.

    Example: {">=": [{"age": [{"var": "applicant.birth_date"}]}, 18]}
    """
    born, day = parse_day(birth), current_day() if on is None else parse_day(on)
    if born is None or day is None or born > day:
        return None
    return full_units(born, day, "year")


@rule_function("year_month")
def year_month(d: object) -> str | None:
    """The ``YYYY-MM`` month of a date, the key of tables by birth month.

    Example: {"bracket": [{"year_month": [{"var": "birth_date"}]}, {"var": "params.retire"}]}
    """
    day = parse_day(d)
    return f"{day.year:04d}-{day.month:02d}" if day else None


@rule_function("workdays_add")
def workdays_add(d: object, n: object, *, calendar: WorkCalendar) -> str | None:
    """The date ``n`` working days after ``d`` on the official holiday calendar.

    Counting follows the injected calendar (holidays and 调休 make-up days). A year the
    calendar does not cover is an evaluation error, never a weekend-only guess.

    Example: {"workdays_add": [{"var": "accepted_on"}, 20]}
    """
    day, count = parse_day(d), _count(n)
    if day is None or count is None:
        return None
    return calendar.add_workdays(day, count).isoformat()


@rule_function("workdays_between")
def workdays_between(a: object, b: object, *, calendar: WorkCalendar) -> int | None:
    """The number of working days between ``a`` and ``b``, as the calendar counts them.

    Example: {">": [{"workdays_between": [{"var": "accepted_on"}, {"today": []}]}, 15]}
    """
    start, end = parse_day(a), parse_day(b)
    if start is None or end is None:
        return None
    return calendar.workdays_between(start, end)


@rule_function("is_workday")
def is_workday(d: object, *, calendar: WorkCalendar) -> bool | None:
    """Whether ``d`` is a working day (a make-up Saturday is; a holiday Monday is not).

    Example: {"is_workday": [{"var": "appointment_date"}]}
    """
    day = parse_day(d)
    return None if day is None else calendar.is_workday(day)
