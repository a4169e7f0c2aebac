"""Counting working days: cross-checked against chinese_calendar and the acceptance cases."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime, timedelta
from pathlib import Path

import chinese_calendar
import pytest
from hypothesis import given
from hypothesis import strategies as st

from yijian.calendar import (
    CalendarYear,
    MissingCalendarYear,
    WorkCalendar,
    traffic_light,
)

RULES = Path(__file__).resolve().parents[2] / "rules" / "calendar"
CAL = WorkCalendar.load(RULES)


def every_day(year: int) -> list[date]:
    start = date(year, 1, 1)
    return [start + timedelta(days=i) for i in range((date(year + 1, 1, 1) - start).days)]


def year_of(year: int, region: str = "cn", **fields: object) -> CalendarYear:
    return CalendarYear.model_validate(
        {"year": year, "region": region, "source": "test notice", **fields}
    )


# --- the national calendar -----------------------------------------------------------------


@pytest.mark.parametrize("year", [2025, 2026])
def test_every_day_agrees_with_chinese_calendar(year: int) -> None:
    wrong = [d for d in every_day(year) if CAL.is_workday(d) != chinese_calendar.is_workday(d)]
    assert wrong == []


def test_loaded_years() -> None:
    assert {2025, 2026} <= CAL.years
    assert CAL.region == "cn"


def test_case_5_national_day_with_make_up_saturday() -> None:
    # reference.md §6.7 case 5: 10/9=1, 10/10=2, 10/11 (Sat, worked)=3, 10/13=4, 10/14=5.
    assert CAL.add_workdays(date(2025, 9, 30), 5) == date(2025, 10, 14)
    assert CAL.is_workday(date(2025, 10, 11))


def test_case_6_across_spring_festival() -> None:
    # reference.md §6.7 case 6: 2/14 (Sat, worked)=1, 2/15-23 off, 2/24..2/27 = 2..5.
    assert CAL.add_workdays(date(2026, 2, 13), 5) == date(2026, 2, 27)
    assert CAL.add_workdays(date(2026, 2, 13), 1) == date(2026, 2, 14)


def test_event_on_a_saturday_counts_from_the_next_working_day() -> None:
    assert CAL.add_workdays(date(2025, 3, 1), 1) == date(2025, 3, 3)  # Sat -> Mon
    assert CAL.add_workdays(date(2025, 3, 1), 5) == date(2025, 3, 7)


def test_event_on_a_make_up_saturday_does_not_count_itself() -> None:
    assert CAL.is_workday(date(2025, 10, 11))
    assert CAL.add_workdays(date(2025, 10, 11), 1) == date(2025, 10, 13)


def test_event_inside_a_holiday() -> None:
    assert CAL.add_workdays(date(2025, 10, 3), 1) == date(2025, 10, 9)


@pytest.mark.parametrize("start", [date(2025, 10, 1), date(2025, 3, 1), date(2025, 3, 3)])
def test_zero_days_is_the_start_itself(start: date) -> None:
    assert CAL.add_workdays(start, 0) == start


def test_negative_days_are_refused() -> None:
    with pytest.raises(ValueError, match="n must be >= 0"):
        CAL.add_workdays(date(2025, 3, 3), -1)


def test_workdays_between_counts_half_open_interval() -> None:
    assert CAL.workdays_between(date(2025, 9, 30), date(2025, 10, 14)) == 5
    assert CAL.workdays_between(date(2025, 3, 3), date(2025, 3, 3)) == 0
    assert CAL.workdays_between(date(2025, 3, 3), date(2025, 3, 4)) == 1  # (Mon, Tue]
    assert CAL.workdays_between(date(2025, 3, 7), date(2025, 3, 9)) == 0  # (Fri, Sun]


def test_workdays_between_backwards_is_negative() -> None:
    assert CAL.workdays_between(date(2025, 10, 14), date(2025, 9, 30)) == -5
    assert CAL.workdays_between(date(2026, 2, 27), date(2026, 2, 13)) == -5


def test_remaining_workdays() -> None:
    deadline = date(2025, 10, 14)
    assert CAL.remaining_workdays(date(2025, 10, 9), deadline) == 4
    assert CAL.remaining_workdays(deadline, deadline) == 0
    assert CAL.remaining_workdays(date(2025, 10, 15), deadline) == -1


def test_datetimes_are_refused() -> None:
    with pytest.raises(TypeError, match="local date"):
        CAL.is_workday(datetime(2025, 3, 3, 9, 0))


def test_calendar_is_frozen() -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        CAL.region = "450000"  # type: ignore[misc]


@given(
    a=st.dates(min_value=date(2025, 1, 1), max_value=date(2025, 12, 31)),
    n=st.integers(min_value=0, max_value=60),
)
def test_workdays_between_inverts_add_workdays(a: date, n: int) -> None:
    b = CAL.add_workdays(a, n)
    assert CAL.workdays_between(a, b) == n
    assert n == 0 or CAL.is_workday(b)


# --- missing years -------------------------------------------------------------------------


def test_missing_year_names_the_file_to_add() -> None:
    with pytest.raises(MissingCalendarYear, match=r"cn-2027\.yaml") as info:
        CAL.is_workday(date(2027, 1, 4))
    assert isinstance(info.value, LookupError)
    assert info.value.year == 2027
    assert "no working-day calendar for 2027" in str(info.value)
    assert "State Council publishes the notice each November" in str(info.value)


def test_counting_into_a_missing_year_raises_instead_of_guessing() -> None:
    with pytest.raises(MissingCalendarYear, match=r"cn-2027\.yaml"):
        CAL.add_workdays(date(2026, 12, 30), 5)
    with pytest.raises(MissingCalendarYear, match=r"cn-2024\.yaml"):
        CAL.workdays_between(date(2025, 1, 2), date(2024, 12, 30))


def test_from_years_without_a_folder_points_at_rules_calendar() -> None:
    cal = WorkCalendar.from_years([year_of(2025)])
    with pytest.raises(MissingCalendarYear, match=r"rules/calendar/cn-2026\.yaml"):
        cal.is_workday(date(2026, 1, 5))


def test_event_day_in_a_missing_year_is_not_needed() -> None:
    # The event day never counts, so 2024-12-31 + 1 only needs 2025.
    assert CAL.add_workdays(date(2024, 12, 31), 1) == date(2025, 1, 2)


# --- regional overlays ---------------------------------------------------------------------

NATIONAL = year_of(
    2025,
    holidays=[{"name": "劳动节", "from": date(2025, 5, 1), "to": date(2025, 5, 5)}],
    workdays=[{"date": date(2025, 4, 27), "name": "劳动节调休"}],
)
GUANGXI = year_of(
    2025,
    "450000",
    holidays=[
        {"name": "壮族三月三", "from": date(2025, 3, 31), "to": date(2025, 4, 1)},
        {"name": "调休", "from": date(2025, 4, 27), "to": date(2025, 4, 27)},
    ],
    workdays=[{"date": date(2025, 5, 10), "name": "调休"}],
)
NANNING = year_of(2025, "450100", workdays=[{"date": date(2025, 3, 29), "name": "test"}])
GUANGDONG = year_of(
    2025, "440000", holidays=[{"name": "test", "from": date(2025, 6, 10), "to": date(2025, 6, 10)}]
)
ALL = [NATIONAL, GUANGXI, NANNING, GUANGDONG]


@pytest.mark.parametrize(
    ("region", "rest"),
    [(None, False), ("cn", False), ("440300", False), ("450000", True), ("450102", True)],
)
def test_overlay_applies_to_its_region_and_below_only(region: str | None, rest: bool) -> None:
    cal = WorkCalendar.from_years(ALL, region)
    assert cal.is_workday(date(2025, 3, 31)) is not rest
    assert cal.is_workday(date(2025, 4, 1)) is not rest
    assert cal.is_workday(date(2025, 4, 2))


def test_overlay_overrides_national_entries() -> None:
    guangxi = WorkCalendar.from_years(ALL, "450000")
    assert WorkCalendar.from_years(ALL).is_workday(date(2025, 4, 27))
    assert not guangxi.is_workday(date(2025, 4, 27))  # national make-up Sunday given back
    assert guangxi.is_workday(date(2025, 5, 10))  # and worked on another Saturday


def test_narrower_overlay_applies_after_the_province() -> None:
    assert WorkCalendar.from_years(ALL, "450102").is_workday(date(2025, 3, 29))
    assert not WorkCalendar.from_years(ALL, "450000").is_workday(date(2025, 3, 29))
    assert not WorkCalendar.from_years(ALL, "450200").is_workday(date(2025, 3, 29))


def test_other_provinces_overlay_is_ignored() -> None:
    assert WorkCalendar.from_years(ALL, "450000").is_workday(date(2025, 6, 10))
    assert not WorkCalendar.from_years(ALL, "440000").is_workday(date(2025, 6, 10))


def test_overlay_alone_does_not_make_a_year_known() -> None:
    cal = WorkCalendar.from_years([NATIONAL, year_of(2026, "450000")], "450000")
    assert cal.years == frozenset({2025})
    with pytest.raises(MissingCalendarYear, match=r"cn-2026\.yaml"):
        cal.is_workday(date(2026, 3, 2))


def test_two_calendars_for_the_same_year_are_refused() -> None:
    with pytest.raises(ValueError, match="two calendars"):
        WorkCalendar.from_years([NATIONAL, NATIONAL])


@pytest.mark.parametrize("region", ["45", "guangxi", "4500001"])
def test_bad_region_argument(region: str) -> None:
    with pytest.raises(ValueError, match="6-digit region code"):
        WorkCalendar.from_years(ALL, region)
    with pytest.raises(ValueError, match="6-digit region code"):
        WorkCalendar.load(RULES, region)


def test_shipped_guangxi_overlay_applies_in_guangxi_only() -> None:
    county = WorkCalendar.load(RULES, "450102")
    overlay = next(c for c in county.sources if c.region == "450000" and c.year == 2025)
    days = sorted(overlay.rest_days())
    assert days
    for day in days:
        assert not county.is_workday(day)
        if day.weekday() < 5:
            assert CAL.is_workday(day)
            assert WorkCalendar.load(RULES, "440000").is_workday(day)


# --- traffic light -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("today", "deadline", "light"),
    [
        (date(2025, 10, 15), date(2025, 10, 14), "red"),  # one day overdue
        (date(2025, 10, 14), date(2025, 10, 14), "yellow"),  # deadline day: 0 left
        (date(2025, 10, 13), date(2025, 10, 14), "yellow"),  # 1 left
        (date(2025, 10, 12), date(2025, 10, 14), "green"),  # Sunday: 10/13, 10/14 left
        (date(2025, 10, 11), date(2025, 10, 14), "green"),  # 2 left
        (date(2025, 3, 1), date(2025, 3, 3), "yellow"),  # Sat before a Monday deadline
        (date(2025, 9, 30), date(2025, 10, 9), "yellow"),  # holiday days do not count
        (date(2025, 9, 30), date(2025, 10, 10), "green"),
    ],
)
def test_traffic_light(today: date, deadline: date, light: str) -> None:
    assert traffic_light(today, deadline, CAL) == light


@given(
    st.dates(min_value=date(min(CAL.years), 1, 1), max_value=date(max(CAL.years), 12, 31)),
    st.dates(min_value=date(min(CAL.years), 1, 1), max_value=date(max(CAL.years), 12, 31)),
)
def test_workdays_between_by_running_totals_equals_walking_every_day(a: date, b: date) -> None:
    lo, hi = min(a, b), max(a, b)
    walked = sum(CAL.is_workday(lo + timedelta(days=i + 1)) for i in range((hi - lo).days))
    assert CAL.workdays_between(a, b) == (walked if b >= a else -walked)


@given(
    st.dates(min_value=date(min(CAL.years), 1, 1), max_value=date(max(CAL.years), 6, 30)),
    st.integers(min_value=0, max_value=120),
)
def test_add_workdays_by_bisection_equals_walking_day_by_day(start: date, n: int) -> None:
    day, left = start, n
    while left:
        day += timedelta(days=1)
        left -= CAL.is_workday(day)
    assert CAL.add_workdays(start, n) == day
