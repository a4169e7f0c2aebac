"""好差评 through the office layer: one rating per closed case, a 差评 in the responsible
department's queue with the county's deadline, 回访 before 整改, an appeal decided by a
supervisor, one reminder for an unrated case, and nobody else's hands on it."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest
from taskfixtures import case_answers, member, services, submitted

from yijian.apply.errors import NotFound
from yijian.calendar.clock import CHINA_TZ
from yijian.casework.rating import rating_of
from yijian.office import taskactions as ta
from yijian.office.ratings import RatingError, rate, remind_unrated, staff_act
from yijian.office.review import TaskRef
from yijian.office.window import accept

BIRTH = "birth-medical-certificate"
CLERK = member(1, "wang", ("clerk", "442000", None))
HEALTH = member(2, "li", ("reviewer", "442000", "health"))
POLICE = member(3, "zhou", ("reviewer", "442000", "police"))
WATCH = member(4, "jian", ("supervisor", "442000", None))
TUESDAY = datetime(2025, 9, 30, 10, 0, tzinfo=CHINA_TZ)


def _closed(s) -> str:  # type: ignore[no-untyped-def]
    case_no = submitted(s, BIRTH, case_answers(BIRTH))
    accept(s, CLERK, case_no)
    ta.pass_step(s, HEALTH, TaskRef(case_no, "", "issue"), "签发", {})
    assert s.store.cases.get(case_no).status == "concluded"
    return case_no


@pytest.fixture
def s(tmp_path: Path):  # type: ignore[no-untyped-def]
    return services(tmp_path, TUESDAY)


def test_one_rating_per_closed_case(s) -> None:  # type: ignore[no-untyped-def]
    open_case = submitted(s, BIRTH, case_answers(BIRTH))
    with pytest.raises(RatingError, match="办结后"):
        rate(s, s.store.cases.get(open_case), "applicant", 5, {}, "")
    case_no = _closed(s)
    case = s.store.cases.get(case_no)
    with pytest.raises(RatingError, match="满意程度"):
        rate(s, case, "applicant", 9, {}, "")
    rate(s, case, "applicant", 5, {"efficiency": 5, "nonsense": 3}, "很快")
    with pytest.raises(RatingError, match="一事一评"):
        rate(s, case, "applicant", 1, {}, "改主意了")
    events = s.store.cases.events(case_no)
    assert rating_of(events).score == 5 and events[-1].data["indicators"] == {"efficiency": 5}
    assert s.store.tasks.of_case(case_no) == []  # a good rating opens nothing


def test_a_bad_rating_is_revisited_and_put_right_in_time(s) -> None:  # type: ignore[no-untyped-def]
    case_no = _closed(s)
    rate(s, s.store.cases.get(case_no), "applicant", 1, {}, "窗口态度差")
    [row] = s.store.tasks.queue("health", ["44"])
    assert row.case_no == case_no and row.step == "rating.revisit" and row.kind == "rectify"
    assert row.due == "2025-10-14"  # 5 working days after 9/30 over the National Day holiday
    with pytest.raises(NotFound):  # another department sees nothing of it
        staff_act(s, POLICE, case_no, "revisit", "已电话回访")
    with pytest.raises(RatingError):  # 整改 needs a 回访 first
        staff_act(s, HEALTH, case_no, "rectify", "已整改")
    staff_act(s, HEALTH, case_no, "revisit", "已电话回访，申请人反映等候时间长")
    assert [r.step for r in s.store.tasks.queue("health", ["44"])] == ["rating.rectify"]
    staff_act(s, HEALTH, case_no, "rectify", "增设取号提醒，已告知申请人")
    assert s.store.tasks.queue("health", ["44"]) == []
    assert rating_of(s.store.cases.events(case_no)).rectified


def test_an_appeal_goes_to_supervision(s) -> None:  # type: ignore[no-untyped-def]
    case_no = _closed(s)
    rate(s, s.store.cases.get(case_no), "applicant", 2, {}, "")
    staff_act(s, HEALTH, case_no, "appeal", "申请人误评：评价内容与本事项无关")
    assert s.store.tasks.queue("health", ["44"]) == []  # with the supervisor now
    with pytest.raises(RatingError):
        staff_act(s, HEALTH, case_no, "decide", "自己复核", upheld=True)
    staff_act(s, WATCH, case_no, "decide", "核实为误评", upheld=True)
    state = rating_of(s.store.cases.events(case_no))
    assert state.appeal_upheld is True and not state.counts and not state.open


def test_one_reminder_for_an_unrated_closed_case(tmp_path: Path) -> None:
    s = services(tmp_path, TUESDAY)
    case_no = _closed(s)
    assert remind_unrated(s, date(2025, 10, 2)) == []  # not yet three days
    assert remind_unrated(s, date(2025, 10, 3)) == [case_no]
    assert remind_unrated(s, date(2025, 10, 9)) == []  # one reminder, never two
    assert rating_of(s.store.cases.events(case_no)).reminded
    sent = (
        s.store.db.conn()
        .execute(
            "SELECT channel FROM outbox WHERE case_no = ? AND template = 'rating_reminded'",
            (case_no,),
        )
        .fetchall()
    )
    assert [r[0] for r in sent] == ["sms"]  # to the applicant's phone, once


def test_ratings_and_rectification_on_the_supervision_page(s) -> None:  # type: ignore[no-untyped-def]
    from yijian.office.supervision import dashboard
    from yijian.office.supervision_figures import Filters

    good, bad = _closed(s), _closed(s)
    rate(s, s.store.cases.get(good), "applicant", 4, {}, "")
    rate(s, s.store.cases.get(bad), "applicant", 1, {}, "态度差")
    staff_act(s, HEALTH, bad, "revisit", "已回访")
    d = dashboard(s, WATCH, Filters())
    assert (d.total.ratings, d.total.bad, d.total.rectified) == (2, 1, 0)
    assert d.total.satisfaction == "50%"
    [line] = d.lists["bad_ratings"]
    assert line.case_no == bad and "已回访，待整改" in line.detail
