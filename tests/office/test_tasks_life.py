"""The newborn bundle from acceptance to its joint result, through the office functions:
members open in order, a department refuses (部分办结), the others approve, the bundle closes."""

from __future__ import annotations

from pathlib import Path

import pytest
from taskfixtures import NEWBORN, case_answers, member, services, submitted

from yijian.apply.errors import NotFound
from yijian.office import taskactions as ta
from yijian.office.review import ReviewError, TaskRef
from yijian.office.tasks import fold_case
from yijian.office.window import accept

CLERK = member(1, "wang", ("clerk", "442000", None))
HEALTH = member(2, "li", ("reviewer", "442000", "health"))
POLICE = member(3, "zhou", ("reviewer", "442000", "police"))
BOSS = member(4, "chen", ("approver", "442000", None))
MEDICAL = member(5, "he", ("reviewer", "442000", "healthcare-security"))
HRSS = member(6, "ma", ("reviewer", "442000", "hrss"))
FAR = member(7, "zhao", ("reviewer", "110105", "health"))


@pytest.fixture
def app(tmp_path: Path):  # type: ignore[no-untyped-def]
    s = services(tmp_path)
    case_no = submitted(s, NEWBORN, case_answers(NEWBORN))
    return s, case_no


def _open(s, case_no):  # type: ignore[no-untyped-def]
    _, f = fold_case(s, s.store.cases.get(case_no))
    return {(t.step.owner, t.step.step): t.state for t in f.tasks}


def test_nothing_opens_before_acceptance_then_members_open_in_order(app) -> None:  # type: ignore[no-untyped-def]
    s, case_no = app
    assert s.store.tasks.of_case(case_no) == []
    with pytest.raises(ReviewError):  # no task is open before the window accepts
        ta.claim(s, HEALTH, TaskRef(case_no, "birth-medical-certificate", "issue"))
    accept(s, CLERK, case_no)
    states = _open(s, case_no)
    assert states[("birth-medical-certificate", "issue")] == "open"
    assert states[("vaccination-certificate", "issue")] == "open"
    assert states[("birth-registration", "register")] == "waiting"  # needs the certificate
    rows = s.store.tasks.queue("health", ["44"])
    assert {(r.matter_id, r.step) for r in rows} == {
        ("birth-medical-certificate", "issue"),
        ("vaccination-certificate", "issue"),
    }
    assert all(r.due == "2025-09-22" for r in rows)  # 0 working days: due the day it opens
    assert s.store.tasks.queue("police", ["44"]) == []


def test_a_whole_life_with_a_refused_member(app) -> None:  # type: ignore[no-untyped-def]
    s, case_no = app
    accept(s, CLERK, case_no)
    cert = TaskRef(case_no, "birth-medical-certificate", "issue")
    ta.claim(s, HEALTH, cert)
    with pytest.raises(ReviewError, match="已由 li 认领"):
        ta.pass_step(s, member(8, "other", ("reviewer", "442000", "health")), cert, "同意", {})
    ta.pass_step(s, HEALTH, cert, "核对出生记录一致，签发", {})
    vac = TaskRef(case_no, "vaccination-certificate", "issue")
    ta.pass_step(s, HEALTH, vac, "已发放", {})
    states = _open(s, case_no)
    assert states[("birth-registration", "register")] == "open"
    kids = {c.matter_id: c for c in s.store.cases.get(case_no).children}
    assert kids["birth-medical-certificate"].status == "concluded"
    reg = TaskRef(case_no, "birth-registration", "register")
    with pytest.raises(ReviewError, match="负责人"):
        ta.deny(s, POLICE, reg, "户口簿信息不一致", "户口登记条例第七条")
    with pytest.raises(ReviewError, match="理由和法律依据"):
        ta.deny(s, BOSS, reg, "户口簿信息不一致", "")
    ta.deny(s, BOSS, reg, "户口簿信息不一致", "《中华人民共和国户口登记条例》第七条")
    case = s.store.cases.get(case_no)
    kids = {c.matter_id: c for c in case.children}
    assert kids["birth-registration"].status == "concluded"
    # the members that need the registration drop out with a stated reason
    for mid in ("resident-medical-insurance", "social-security-card"):
        assert kids[mid].status == "terminated"
        last = s.store.cases.events(kids[mid].case_no)[-1]
        assert "出生登记" in last.data["reason"] and "未获准予" in last.data["reason"]
    assert case.status == "concluded"
    top = s.store.cases.events(case_no)[-1]
    assert top.kind == "concluded" and top.data["decision"] == "partial"
    # the joint 办结与送达 waits for the window, not for the members that ended
    assert _open(s, case_no)[("", "close")] == "window"
    assert s.store.tasks.of_case(case_no) == []
    for no in [case_no, *(k.case_no for k in case.children)]:
        assert s.store.cases.verify_chain(no)


def test_scope_and_wrong_state(app) -> None:  # type: ignore[no-untyped-def]
    s, case_no = app
    accept(s, CLERK, case_no)
    cert = TaskRef(case_no, "birth-medical-certificate", "issue")
    with pytest.raises(NotFound):  # another county's reviewer of the same department
        ta.claim(s, FAR, cert)
    with pytest.raises(NotFound):  # another department sees nothing of it
        ta.claim(s, POLICE, cert)
    reg = TaskRef(case_no, "birth-registration", "register")
    before = len(s.store.cases.events(case_no))
    with pytest.raises(ReviewError, match="尚未开始"):
        ta.pass_step(s, POLICE, reg, "同意", {})
    assert len(s.store.cases.events(case_no)) == before
    ta.pass_step(s, HEALTH, cert, "签发", {})
    with pytest.raises(ReviewError, match="已经办完"):
        ta.pass_step(s, HEALTH, cert, "再签发", {})


def test_the_window_hands_out_every_result_together(app) -> None:  # type: ignore[no-untyped-def]
    from yijian.apply.cases import case_view
    from yijian.office.delivery import deliver
    from yijian.office.window import WindowError

    s, case_no = app
    accept(s, CLERK, case_no)
    with pytest.raises(WindowError, match="尚未办结"):
        deliver(s, CLERK, case_no, "window")
    ta.pass_step(s, HEALTH, TaskRef(case_no, "birth-medical-certificate", "issue"), "签发", {})
    ta.pass_step(s, HEALTH, TaskRef(case_no, "vaccination-certificate", "issue"), "发放", {})
    reg = TaskRef(case_no, "birth-registration", "register")
    ta.pass_step(s, POLICE, reg, "登记完成", {}, approve=True)
    ins = TaskRef(case_no, "resident-medical-insurance", "enrol")
    ta.pass_step(s, MEDICAL, ins, "参保登记完成", {}, approve=True)
    card = _open(s, case_no)
    assert card[("social-security-card", "review")] == "open"
    ta.pass_step(s, HRSS, TaskRef(case_no, "social-security-card", "review"), "资料齐全", {})
    ta.pass_step(s, HRSS, TaskRef(case_no, "social-security-card", "make_card"), "已制卡", {})
    case = s.store.cases.get(case_no)
    assert case.status == "concluded"
    assert s.store.cases.events(case_no)[-1].data["decision"] == "approved"
    with pytest.raises(WindowError, match="快递单号"):
        deliver(s, CLERK, case_no, "post", "中山市石岐街道兴中道 1 号", "")
    done = deliver(s, CLERK, case_no, "post", "中山市石岐街道兴中道 1 号", "SF1234567890")
    assert done.data["tracking"] == "SF1234567890" and len(done.data["results"]) == 5
    with pytest.raises(WindowError, match="已出件"):
        deliver(s, CLERK, case_no, "window")
    assert _open(s, case_no)[("", "close")] == "done"
    view = case_view(s, s.store.cases.get(case_no))
    assert view["status"]["text"] == "已出件"
    assert any("SF1234567890" in x["detail"] for x in view["timeline"])
    assert all(child["result"] == "准予" for child in view["children"])


def test_a_case_deemed_accepted_gets_its_tasks_from_the_worker(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Five working days without a window action: accepted by law (§32); the worker's daily
    chore opens its tasks, with no event written."""
    from datetime import datetime

    from taskfixtures import MONDAY

    from yijian.calendar.clock import CHINA_TZ
    from yijian.office.tasks import settle_deemed

    s = services(tmp_path, MONDAY)
    case_no = submitted(s, NEWBORN, case_answers(NEWBORN))
    assert settle_deemed(s) == []  # still inside the window's five days
    later = services(tmp_path, datetime(2025, 10, 13, 10, 0, tzinfo=CHINA_TZ))
    assert settle_deemed(later) == [case_no]
    assert {r.step for r in later.store.tasks.queue("health", ["44"])} == {"issue"}
    assert [e.kind for e in later.store.cases.events(case_no)] == ["submitted"]
    assert settle_deemed(later) == []  # once
