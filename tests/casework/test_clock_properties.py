"""Properties of the clock over the real 2025/2026 calendars (hypothesis)."""

from __future__ import annotations

from datetime import date, timedelta

from clockcases import CAL, ev
from hypothesis import given, settings
from hypothesis import strategies as st

from yijian.casework.clock import case_clock
from yijian.defs.common import TimeUnit
from yijian.runtime.deadline import PromisedLimit

DAYS = st.dates(min_value=date(2025, 1, 1), max_value=date(2026, 9, 30))
UNITS = st.sampled_from([TimeUnit.工作日, TimeUnit.自然日])
RANK = {"green": 0, "yellow": 1, "red": 2}


def _accepted(on: date) -> list:  # type: ignore[type-arg]
    return [ev("submitted", on.isoformat()), ev("accepted", on.isoformat())]


@given(DAYS, st.integers(0, 20), UNITS)
def test_the_deadline_is_monotone_in_the_days_promised(on: date, days: int, unit: TimeUnit) -> None:
    events = _accepted(on)
    a = case_clock(events, PromisedLimit(days, unit), CAL, on).deadline
    b = case_clock(events, PromisedLimit(days + 1, unit), CAL, on).deadline
    assert a is not None and b is not None and a < b


@given(DAYS, st.integers(1, 20), st.integers(0, 25), st.integers(0, 25), UNITS)
def test_a_suspension_never_shortens_and_the_clock_restarts(
    on: date, days: int, start: int, length: int, unit: TimeUnit
) -> None:
    limit = PromisedLimit(days, unit)
    plain = case_clock(_accepted(on), limit, CAL, on)
    s, r = on + timedelta(days=start), on + timedelta(days=start + length)
    events = [*_accepted(on), ev("suspended", s.isoformat()), ev("resumed", r.isoformat())]
    held = case_clock(events, limit, CAL, r)
    assert plain.deadline is not None and held.deadline is not None
    if s > plain.deadline:  # began after the time ran out: nothing changes
        assert held.deadline == plain.deadline and held.suspended_days == 0
    else:
        assert held.deadline > plain.deadline and held.suspended_days >= 1
    paused = case_clock(events[:3], limit, CAL, s)
    assert paused.paused == (s <= plain.deadline)


@given(DAYS, st.integers(1, 15))
def test_a_working_day_deadline_is_a_working_day_with_nothing_left_on_it(
    on: date, days: int
) -> None:
    c = case_clock(_accepted(on), PromisedLimit(days), CAL, on)
    assert c.deadline is not None and CAL.is_workday(c.deadline)
    assert c.days_left == days  # counted from the day of acceptance, which never counts
    last = case_clock(_accepted(on), PromisedLimit(days), CAL, c.deadline)
    assert last.days_left == 0 and last.light == "yellow"


@settings(max_examples=40)
@given(DAYS, st.integers(0, 12), UNITS, st.integers(0, 3))
def test_the_light_only_gets_worse_as_days_pass(
    on: date, days: int, unit: TimeUnit, yellow: int
) -> None:
    events, limit = _accepted(on), PromisedLimit(days, unit)
    seen = 0
    for n in range(0, days * 2 + 15):
        light = case_clock(events, limit, CAL, on + timedelta(days=n), yellow_days=yellow).light
        assert RANK[light] >= seen
        seen = RANK[light]
    assert seen == 2


@given(DAYS, st.integers(0, 10))
def test_section_32_deemed_exactly_when_the_window_passes_undecided(on: date, n: int) -> None:
    waiting = [ev("submitted", on.isoformat())]
    today = on + timedelta(days=n)
    c = case_clock(waiting, PromisedLimit(5), CAL, today)
    assert c.window_due == CAL.add_workdays(on, 5)
    assert c.deemed_accepted == (today > c.window_due)
    assert c.accepted_on == (on if c.deemed_accepted else None)
    decided = case_clock(
        [*waiting, ev("accepted", today.isoformat())], PromisedLimit(5), CAL, today
    )
    assert decided.deemed_accepted == (today > c.window_due)
    assert decided.accepted_on == (on if decided.deemed_accepted else today)
