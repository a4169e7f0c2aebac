"""Calendar changes (casework.recount): a moved deadline is found, with the days that moved it;
a new year's file only extends counting."""

from __future__ import annotations

from clockcases import CAL, d, ev

from yijian.calendar import WorkCalendar
from yijian.calendar.model import CalendarYear
from yijian.casework.clock import case_clock, changed_days, recheck, recheck_calendars
from yijian.runtime.deadline import PromisedLimit

TEN = PromisedLimit(10)


def _with_holiday(day: str) -> WorkCalendar:
    """The real files with one more rest day in 2026 (a corrected notice)."""
    y2026 = next(y for y in CAL.sources if y.year == 2026).model_dump(by_alias=True)
    extra = {"name": "示例", "from": day, "to": day}
    fixed = CalendarYear.model_validate({**y2026, "holidays": [*y2026["holidays"], extra]})
    return WorkCalendar.from_years([y for y in CAL.sources if y.year != 2026] + [fixed])


def test_a_corrected_file_moves_the_deadline_and_names_the_day() -> None:
    # accepted Mon 3/2/2026, 10 days: 3/16. Tue 3/10 becomes a rest day: 3/17.
    events = [ev("submitted", "2026-03-01"), ev("accepted", "2026-03-02", deadline="2026-03-16")]
    new = _with_holiday("2026-03-10")
    moved = recheck_calendars(events, TEN, CAL, new, d("2026-03-05"))
    assert moved is not None
    assert (moved.was, moved.now, moved.days) == (
        d("2026-03-16"),
        d("2026-03-17"),
        (d("2026-03-10"),),
    )
    assert recheck(events, TEN, new, d("2026-03-05")) == ("2026-03-16", "2026-03-17")
    # a change after the deadline, or the same files, moves nothing
    assert recheck_calendars(events, TEN, CAL, _with_holiday("2026-04-10"), d("2026-03-05")) is None
    assert recheck_calendars(events, TEN, CAL, CAL, d("2026-03-05")) is None
    closed = [*events, ev("concluded", "2026-03-04", decision="approved")]
    assert recheck_calendars(closed, TEN, CAL, new, d("2026-03-05")) is None


def test_next_years_file_extends_counting_without_a_change() -> None:
    only_2025 = WorkCalendar.from_years([y for y in CAL.sources if y.year == 2025])
    # accepted Mon 2025-12-22: 12/23–12/31 are 7, then 2026: 1/1–3 off, Sun 1/4 (make-up) 8,
    # 1/5 (9), 1/6 (10)
    events = [ev("submitted", "2025-12-19"), ev("accepted", "2025-12-22")]
    assert case_clock(events, TEN, only_2025, d("2025-12-22")).deadline is None
    assert case_clock(events, TEN, CAL, d("2025-12-22")).deadline == d("2026-01-06")
    assert recheck_calendars(events, TEN, only_2025, CAL, d("2025-12-22")) is None


def test_changed_days_skip_years_only_one_calendar_knows() -> None:
    only_2025 = WorkCalendar.from_years([y for y in CAL.sources if y.year == 2025])
    assert changed_days(only_2025, CAL, d("2025-12-01"), d("2026-02-01")) == ()
    new = _with_holiday("2026-03-10")
    assert changed_days(CAL, new, d("2026-03-10"), d("2026-03-31")) == ()  # (after, until]
    assert changed_days(CAL, new, d("2026-03-09"), d("2026-03-10")) == (d("2026-03-10"),)
