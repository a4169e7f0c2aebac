"""More hand-computed clocks on the real calendar files (rules/calendar/cn-2025.yaml, cn-2026).

2025: 春节 1/28 (Tue)–2/4 (Tue) off, make-up Sunday 1/26 and Saturday 2/8; 国庆中秋 10/1 (Wed)
–10/8 (Wed) off, make-up Sunday 9/28 and Saturday 10/11.
2026: 春节 2/15 (Sun)–2/23 (Mon) off, make-up Saturdays 2/14 and 2/28; 中秋 9/25–27; 国庆
10/1 (Thu)–10/7 (Wed) off, make-up Sunday 9/20 and Saturday 10/10. No 2027 file.
Each expected date is worked out in the comment above it, day by day.
"""

from __future__ import annotations

from clockcases import CAL, d, ev

from yijian.casework.clock import case_clock, check_extension, step_deadline
from yijian.defs.common import TimeUnit
from yijian.runtime.deadline import PromisedLimit

NATURAL = TimeUnit.自然日
OK = {"approver": "staff:9:head", "reason": "需要实地核查"}


def test_spring_festival_2025_make_up_sunday_before_and_saturday_after() -> None:
    # accepted Fri 1/24: Sun 1/26 (1), Mon 1/27 (2), 1/28–2/4 off, 2/5 (3), 2/6 (4), 2/7 (5);
    # a sixth day is the make-up Saturday 2/8
    events = [ev("submitted", "2025-01-23"), ev("accepted", "2025-01-24")]
    assert case_clock(events, PromisedLimit(5), CAL, d("2025-01-24")).deadline == d("2025-02-07")
    assert case_clock(events, PromisedLimit(6), CAL, d("2025-01-24")).deadline == d("2025-02-08")


def test_lights_around_the_2025_spring_festival_and_per_county_yellow_days() -> None:
    events = [ev("submitted", "2025-01-23"), ev("accepted", "2025-01-24")]
    five = PromisedLimit(5)  # deadline Fri 2/7

    def at(today: str, yellow: int = 1) -> tuple[str, int | None]:
        c = case_clock(events, five, CAL, d(today), yellow_days=yellow)
        return c.light, c.days_left

    assert at("2025-01-27") == ("green", 3)  # 2/5, 2/6, 2/7 left
    assert at("2025-02-04") == ("green", 3)  # a holiday: the same three days left
    assert at("2025-02-05") == ("green", 2)
    assert at("2025-02-06") == ("yellow", 1)
    assert at("2025-02-07") == ("yellow", 0)  # the last day
    assert at("2025-02-08") == ("red", -1)  # the make-up Saturday is a working day past it
    assert at("2025-01-27", yellow=3) == ("yellow", 3)  # a county warning three days ahead
    assert at("2025-01-26", yellow=3) == ("green", 4)


def test_section_32_window_across_national_day_2025() -> None:
    # received Fri 9/26: Sun 9/28 (1), 9/29 (2), 9/30 (3), 10/1–8 off, Thu 10/9 (4), Fri 10/10 (5)
    waiting = [ev("submitted", "2025-09-26")]
    c = case_clock(waiting, PromisedLimit(3), CAL, d("2025-09-30"))
    assert c.window_due == d("2025-10-10") and c.window_light == "green"  # 10/9, 10/10 left
    assert case_clock(waiting, PromisedLimit(3), CAL, d("2025-10-09")).window_light == "yellow"
    last = case_clock(waiting, PromisedLimit(3), CAL, d("2025-10-10"))
    assert last.window_light == "yellow" and not last.deemed_accepted and last.deadline is None
    # Saturday 10/11 (a working day) with no decision: accepted on the day of receipt, and the
    # promise of 3 days (9/28, 9/29, 9/30) has long run out: 10/9, 10/10, 10/11 past it
    late = case_clock(waiting, PromisedLimit(3), CAL, d("2025-10-11"))
    assert late.deemed_accepted and late.accepted_on == d("2025-09-26")
    assert late.deadline == d("2025-09-30") and late.days_left == -3 and late.light == "red"
    assert late.window_light == "red"


def test_a_decision_on_the_fifth_day_is_in_time_one_a_day_later_is_not() -> None:
    in_time = [ev("submitted", "2025-09-26"), ev("accepted", "2025-10-10")]
    c = case_clock(in_time, PromisedLimit(3), CAL, d("2025-10-10"))
    assert not c.deemed_accepted and c.accepted_on == d("2025-10-10")
    # 10/11 (Sat, make-up) (1), Mon 10/13 (2), Tue 10/14 (3)
    assert c.deadline == d("2025-10-14")
    late = [ev("submitted", "2025-09-26"), ev("tolerant_accepted", "2025-10-11")]
    c = case_clock(late, PromisedLimit(3), CAL, d("2025-10-11"))
    assert c.deemed_accepted and c.accepted_on == d("2025-09-26")


def test_a_late_refusal_still_shows_the_case_counted_as_accepted() -> None:
    events = [ev("submitted", "2025-09-26"), ev("refused", "2025-10-13", reason="x", basis="y")]
    c = case_clock(events, PromisedLimit(3), CAL, d("2025-10-13"))
    assert c.deemed_accepted and c.closed and c.light == "none"


def test_a_late_correction_notice_suspends_the_deemed_promise() -> None:
    # received Thu 2026-09-24: window 9/28, 9/29, 9/30, 10/8, 10/9 (5). The notice comes Sat
    # 10/10: too late, so accepted 9/24 and the promise of 10 runs 9/28 (1), 9/29, 9/30, 10/8,
    # 10/9 (5), 10/10 (6), 10/12, 10/13, 10/14, 10/15 (10). The notice stops it until the
    # answer on Fri 10/16: (10/10, 10/16] holds 10/12–10/16 = 5 working days, so 10/16, 10/19,
    # 10/20, 10/21, 10/22. (Counted directly: 6 days by 10/10, then 10/19–10/22 are 7–10.)
    events = [
        ev("submitted", "2026-09-24"),
        ev("correction_requested", "2026-10-10", items=[], due="2026-10-30"),
    ]
    ten = PromisedLimit(10)
    open_ = case_clock(events, ten, CAL, d("2026-10-12"))
    assert open_.deemed_accepted and open_.paused and open_.light == "paused"
    assert open_.deadline is None and open_.window_light == "none"
    done = case_clock([*events, ev("corrected", "2026-10-16")], ten, CAL, d("2026-10-16"))
    assert done.received_on == d("2026-09-24")  # not a new receipt: accepted already
    assert done.suspended_days == 5 and done.deadline == d("2026-10-22")
    assert done.window_light == "red"  # still waiting for the clerk's formal 受理


def test_a_suspension_over_the_2026_spring_festival() -> None:
    # accepted Mon 2/9, 10 working days: 2/10–2/13 (4), Sat 2/14 (5), 2/24–2/27 (9), Sat 2/28
    # (10). 专家评审 from Thu 2/12 to Wed 2/25: (2/12, 2/25] holds 2/13, 2/14, 2/24, 2/25 = 4,
    # so Mon 3/2, 3/3, 3/4, Thu 3/5. (Directly: 2/10–2/12 are 1–3, then 2/26, 2/27, 2/28,
    # 3/2, 3/3, 3/4, 3/5 are 4–10.)
    events = [
        ev("submitted", "2026-02-06"),
        ev("accepted", "2026-02-09"),
        ev("suspended", "2026-02-12", procedure="专家评审", planned_days=5),
        ev("resumed", "2026-02-25"),
    ]
    c = case_clock(events, PromisedLimit(10), CAL, d("2026-02-26"))
    assert c.deadline == d("2026-03-05") and c.suspended_days == 4 and not c.paused
    # the same case on a natural-day limit of 20: 2/9 + 20 = 3/1; the suspension stops every
    # day in (2/12, 2/25] = 13, so 3/14 (a Saturday)
    natural = case_clock(events, PromisedLimit(20, NATURAL), CAL, d("2026-03-12"))
    assert natural.deadline == d("2026-03-14") and natural.suspended_days == 13
    assert natural.days_left == 2 and natural.light == "yellow"  # only Fri 3/13 is a working day
    light = case_clock(events, PromisedLimit(20, NATURAL), CAL, d("2026-03-11")).light
    assert light == "green"  # Thu 3/12 and Fri 3/13 left


def test_a_suspension_over_a_weekend_alone_still_counts_one_day() -> None:
    # accepted Mon 3/2/2026, 5 days: 3/3–3/6, Mon 3/9. Fri 3/6 → Sun 3/8 holds no working day:
    # one by our convention, so Tue 3/10
    events = [
        ev("submitted", "2026-03-01"),
        ev("accepted", "2026-03-02"),
        ev("suspended", "2026-03-06", procedure="公示"),
        ev("resumed", "2026-03-08"),
    ]
    c = case_clock(events, PromisedLimit(5), CAL, d("2026-03-09"))
    assert c.suspended_days == 1 and c.deadline == d("2026-03-10")


def test_extensions_across_mid_autumn_and_national_day_2026() -> None:
    # accepted Tue 9/15, 5 days: 9/16, 9/17, 9/18, Sun 9/20 (make-up), Mon 9/21.
    # +5 on 9/21: 9/22, 9/23, 9/24, (9/25–27 中秋) 9/28, 9/29.
    # +5 on 9/29: 9/30, (10/1–7) 10/8, 10/9, Sat 10/10 (make-up), Mon 10/12.
    events = [ev("submitted", "2026-09-14"), ev("accepted", "2026-09-15")]
    five = PromisedLimit(5)
    assert case_clock(events, five, CAL, d("2026-09-15")).deadline == d("2026-09-21")
    assert check_extension(events, five, CAL, d("2026-09-21"), 5, **OK) is None
    events.append(ev("extended", "2026-09-21", days=5, **OK))
    assert case_clock(events, five, CAL, d("2026-09-21")).deadline == d("2026-09-29")
    assert check_extension(events, five, CAL, d("2026-09-29"), 5, **OK) is None
    events.append(ev("extended", "2026-09-29", days=5, **OK))
    c = case_clock(events, five, CAL, d("2026-10-08"))
    assert c.deadline == d("2026-10-12") and c.extended_days == 10 and c.days_left == 3
    refusal = check_extension(events, five, CAL, d("2026-10-08"), 1, **OK)
    assert refusal is not None and "还可延长 0 个" in refusal
    more = check_extension(events, five, CAL, d("2026-10-08"), 4, legal_extension_days=13, **OK)
    assert more is not None and "13 个工作日" in more and "还可延长 3 个" in more
    law = {"legal_extension_days": 13, **OK}
    assert check_extension(events, five, CAL, d("2026-10-08"), 3, **law) is None  # type: ignore[arg-type]


def test_an_extension_or_suspension_after_the_deadline_changes_nothing() -> None:
    # deadline Mon 9/21 as above; the time has run out before either
    base = [ev("submitted", "2026-09-14"), ev("accepted", "2026-09-15")]
    five = PromisedLimit(5)
    late_ext = [*base, ev("extended", "2026-09-22", days=5, **OK)]
    c = case_clock(late_ext, five, CAL, d("2026-09-23"))
    assert c.deadline == d("2026-09-21") and c.extended_days == 0 and c.light == "red"
    late_stop = [*base, ev("suspended", "2026-09-22", procedure="鉴定")]
    c = case_clock(late_stop, five, CAL, d("2026-09-23"))
    assert not c.paused and c.light == "red" and c.deadline == d("2026-09-21")
    assert "届满" in str(check_extension(base, five, CAL, d("2026-09-22"), 1, **OK))


def test_check_extension_while_paused_or_closed() -> None:
    base = [ev("submitted", "2026-03-01"), ev("accepted", "2026-03-02")]
    ten, today = PromisedLimit(10), d("2026-03-05")
    paused = [*base, ev("suspended", "2026-03-04", procedure="听证")]
    assert "暂停" in str(check_extension(paused, ten, CAL, today, 1, **OK))
    closed = [*base, ev("concluded", "2026-03-04", decision="approved")]
    assert "办结" in str(check_extension(closed, ten, CAL, today, 1, **OK))
    assert "大于 0" in str(check_extension(base, ten, CAL, today, 0, **OK))


def test_tolerant_acceptance_starts_the_promise_like_acceptance() -> None:
    # Fri 2026-02-13 + 1 = the make-up Saturday 2/14
    events = [ev("submitted", "2026-02-12"), ev("tolerant_accepted", "2026-02-13", materials=[])]
    assert case_clock(events, PromisedLimit(1), CAL, d("2026-02-13")).deadline == d("2026-02-14")


def test_counting_into_a_year_without_a_calendar_file_gives_no_date() -> None:
    events = [ev("submitted", "2026-12-23"), ev("accepted", "2026-12-28")]
    # 12/29, 12/30, 12/31 and then 2027, which has no file: unknown, never guessed
    c = case_clock(events, PromisedLimit(10), CAL, d("2026-12-28"))
    assert c.deadline is None and c.light == "none" and c.accepted_on == d("2026-12-28")
    # natural days need no calendar: 12/28 + 10 = 2027-01-07, lit by natural days meanwhile
    c = case_clock(events, PromisedLimit(10, NATURAL), CAL, d("2026-12-28"))
    assert c.deadline == d("2027-01-07") and c.days_left == 10 and c.light == "green"


def test_step_deadlines() -> None:
    # opened Tue 2025-09-30: 10/9 (1), 10/10 (2), Sat 10/11 (3), 10/13 (4), 10/14 (5)
    assert step_deadline(d("2025-09-30"), 5, CAL) == d("2025-10-14")
    assert step_deadline(d("2025-09-30"), 5, CAL, natural=True) == d("2025-10-05")
    assert step_deadline(d("2025-09-30"), 0, CAL) == d("2025-09-30")
