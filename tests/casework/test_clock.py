"""The case clock (casework.clock), with dates worked out by hand on the 2026 calendar:
春节 2/15–23 with make-up Saturdays 2/14 and 2/28; 中秋 9/25–27; 国庆 10/1–7 with make-up
days 9/20 (Sunday) and 10/10 (Saturday)."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from yijian.calendar import WorkCalendar
from yijian.casework import kinds
from yijian.casework.clock import case_clock, check_extension, step_deadline
from yijian.defs.common import TimeUnit
from yijian.runtime.deadline import PromisedLimit
from yijian.store.events import Event

CAL = WorkCalendar.load(Path(__file__).resolve().parents[2] / "rules" / "calendar")
FIVE = PromisedLimit(5)


def ev(kind: str, on: str, **data: object) -> Event:
    ev.seq = getattr(ev, "seq", 0) + 1  # type: ignore[attr-defined]
    return Event("c", ev.seq, kind, kinds.STATUS.get(kind), "t", f"{on}T10:00:00+08:00", dict(data))  # type: ignore[attr-defined]


def clock(events: list[Event], today: str, limit: PromisedLimit | None = FIVE):  # type: ignore[no-untyped-def]
    return case_clock(events, limit, CAL, date.fromisoformat(today))


def test_spring_festival_counts_the_make_up_saturday_and_skips_the_holiday() -> None:
    # accepted Thu 2/12: Fri 2/13 (1), Sat 2/14 make-up (2), 2/15–23 off, 2/24–26 (3–5)
    c = clock([ev("submitted", "2026-02-11"), ev("accepted", "2026-02-12")], "2026-02-13")
    assert c.accepted_on == date(2026, 2, 12) and c.deadline == date(2026, 2, 26)
    assert c.light == "green" and c.days_left == 4


def test_national_day_make_up_days_count() -> None:
    # accepted Fri 9/18: Sat off, Sun 9/20 make-up (1), Mon 9/21 (2), Tue 9/22 (3)
    c = clock([ev("submitted", "2026-09-17"), ev("accepted", "2026-09-18")], "2026-09-18",
              PromisedLimit(3))  # fmt: skip
    assert c.deadline == date(2026, 9, 22)
    # accepted Wed 9/30: 10/1–7 off, Thu 10/8 (1), Fri 10/9 (2), Sat 10/10 make-up (3)
    c = clock([ev("submitted", "2026-09-29"), ev("accepted", "2026-09-30")], "2026-10-08",
              PromisedLimit(3))  # fmt: skip
    assert c.deadline == date(2026, 10, 10) and c.days_left == 2


def test_natural_day_limits_count_every_day() -> None:
    c = clock([ev("submitted", "2026-09-29"), ev("accepted", "2026-09-30")], "2026-10-01",
              PromisedLimit(10, TimeUnit.自然日))  # fmt: skip
    assert c.deadline == date(2026, 10, 10) and c.days_left == 9


def test_a_suspension_moves_the_deadline_by_its_working_days() -> None:
    # accepted Mon 3/2, 10 working days: 3/16. Suspended Wed 3/4, resumed Mon 3/9: (3/4, 3/9]
    # holds Thu 3/5, Fri 3/6, Mon 3/9 = 3 working days: 3/17, 3/18, 3/19.
    events = [
        ev("submitted", "2026-03-01"),
        ev("accepted", "2026-03-02"),
        ev("suspended", "2026-03-04", procedure="检验检测", planned_days=3),
        ev("resumed", "2026-03-09"),
    ]
    c = clock(events, "2026-03-10", PromisedLimit(10))
    assert c.suspended_days == 3 and c.deadline == date(2026, 3, 19)
    paused = clock(events[:3], "2026-03-05", PromisedLimit(10))
    assert paused.paused and paused.light == "paused" and paused.deadline is None


def test_a_suspension_shorter_than_a_day_counts_one() -> None:
    events = [
        ev("submitted", "2026-03-01"),
        ev("accepted", "2026-03-02"),
        ev("suspended", "2026-03-04"),
        ev("resumed", "2026-03-04"),
    ]
    assert clock(events, "2026-03-05", PromisedLimit(10)).deadline == date(2026, 3, 17)


def test_extension_adds_working_days() -> None:
    events = [
        ev("submitted", "2026-03-01"),
        ev("accepted", "2026-03-02"),
        ev("extended", "2026-03-10", days=5, reason="专家评审", approver="staff:3:head"),
    ]
    assert clock(events, "2026-03-11", PromisedLimit(10)).deadline == date(2026, 3, 23)


def test_lights_at_their_boundaries() -> None:
    events = [ev("submitted", "2026-03-01"), ev("accepted", "2026-03-02")]
    ten = PromisedLimit(10)  # deadline Mon 3/16
    assert clock(events, "2026-03-12", ten).light == "green"  # 2 working days left
    assert clock(events, "2026-03-13", ten).light == "yellow"  # Fri: 1 left (Mon)
    assert clock(events, "2026-03-16", ten).light == "yellow"  # the last day
    assert clock(events, "2026-03-17", ten).light == "red"
    assert clock([*events, ev("refused", "2026-03-03")], "2026-03-17", ten).light == "none"


def test_section_32_deemed_acceptance_on_the_day_of_receipt() -> None:
    # received Thu 9/24; 9/25–27 off; 9/28 (1), 9/29 (2), 9/30 (3), 10/1–7 off, 10/8 (4), 10/9 (5)
    waiting = [ev("submitted", "2026-09-24")]
    day5 = clock(waiting, "2026-10-09")
    assert day5.window_due == date(2026, 10, 9) and not day5.deemed_accepted
    assert day5.window_light == "yellow"
    late = clock(waiting, "2026-10-10")
    assert late.deemed_accepted and late.accepted_on == date(2026, 9, 24)
    assert late.deadline == date(2026, 10, 9) and late.light == "red"
    # accepting after the window does not move the start: still the day of receipt
    after = clock([*waiting, ev("accepted", "2026-10-12")], "2026-10-12")
    assert after.deemed_accepted and after.accepted_on == date(2026, 9, 24)


def test_a_correction_before_acceptance_restarts_the_window_from_the_corrected_receipt() -> None:
    events = [
        ev("submitted", "2026-03-02"),
        ev("correction_requested", "2026-03-03", items=[], due="2026-03-20"),
        ev("corrected", "2026-03-10"),
    ]
    c = clock(events, "2026-03-11")
    assert c.received_on == date(2026, 3, 10) and c.window_due == date(2026, 3, 17)
    assert c.accepted_on is None and c.deadline is None


def test_check_extension() -> None:
    events = [ev("submitted", "2026-03-01"), ev("accepted", "2026-03-02")]
    ten, today = PromisedLimit(10), date(2026, 3, 10)
    ok = {"approver": "staff:3:head", "reason": "专家评审"}
    assert check_extension(events, ten, CAL, today, 5, **ok) is None
    assert "负责人" in check_extension(events, ten, CAL, today, 5, approver=None, reason="x")  # type: ignore[operator]
    assert "理由" in check_extension(events, ten, CAL, today, 5, approver="a", reason=" ")  # type: ignore[operator]
    assert "届满" in check_extension(events, ten, CAL, date(2026, 3, 17), 5, **ok)  # type: ignore[operator]
    assert "10 个工作日" in check_extension(events, ten, CAL, today, 11, **ok)  # type: ignore[operator]
    early = date(2026, 3, 3)  # still inside the §32 window: not accepted, not deemed so
    assert "尚未受理" in check_extension(events[:1], ten, CAL, early, 1, **ok)  # type: ignore[operator]
    # past the window without a decision the case counts as accepted: it may be extended
    assert check_extension(events[:1], ten, CAL, today, 1, **ok) is None


def test_step_deadline() -> None:
    assert step_deadline(date(2026, 2, 12), 3, CAL) == date(2026, 2, 24)
    assert step_deadline(date(2026, 2, 12), 3, CAL, natural=True) == date(2026, 2, 15)


@given(
    st.dates(min_value=date(2026, 1, 1), max_value=date(2026, 9, 30)),
    st.integers(min_value=0, max_value=20),
    st.integers(min_value=0, max_value=10),
)
def test_suspension_and_extension_never_shorten(accept: date, days: int, more: int) -> None:
    base = [ev("submitted", accept.isoformat()), ev("accepted", accept.isoformat())]
    plain = case_clock(base, PromisedLimit(days), CAL, accept)
    longer = case_clock(
        [*base, ev("extended", accept.isoformat(), days=more)], PromisedLimit(days), CAL, accept
    )
    assert plain.deadline is not None and longer.deadline is not None
    assert longer.deadline >= plain.deadline
    assert plain.deadline > accept or days == 0
    assert (plain.deadline - accept) <= timedelta(days=days * 3 + 12)


def test_a_calendar_change_to_a_counted_day_is_found_never_applied_silently() -> None:
    from yijian.calendar.model import CalendarYear
    from yijian.casework.clock import recheck, shown_deadline

    events = [
        ev("submitted", "2026-03-01"),
        ev("accepted", "2026-03-02", deadline="2026-03-16"),  # as told on acceptance
    ]
    ten = PromisedLimit(10)
    assert shown_deadline(events) == "2026-03-16"
    assert recheck(events, ten, CAL, date(2026, 3, 5)) is None  # same calendar, same date
    # the 2026 file corrected: Tue 3/10 declared a holiday (a day already being counted)
    y2026 = next(y for y in CAL.sources if y.year == 2026).model_dump(by_alias=True)
    extra = {"name": "示例", "from": "2026-03-10", "to": "2026-03-10"}
    fixed = CalendarYear.model_validate({**y2026, "holidays": [*y2026["holidays"], extra]})
    years = [y for y in CAL.sources if y.year != 2026] + [fixed]
    corrected = WorkCalendar.from_years(years)
    assert recheck(events, ten, corrected, date(2026, 3, 5)) == ("2026-03-16", "2026-03-17")
    told = [*events, ev("calendar_changed", "2026-03-05", was="2026-03-16", now="2026-03-17")]
    assert shown_deadline(told) == "2026-03-17"
    assert recheck(told, ten, corrected, date(2026, 3, 5)) is None  # recorded once
