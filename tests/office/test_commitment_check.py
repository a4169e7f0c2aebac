"""告知承诺 核查 on the example 消防安全检查 (its commitment made in the form): the check falls due
20 working days after the approval in 县消防救援大队; a true check closes it; a false one
revokes the licence with a notice in the outbox and the credit flag that bars the next
commitment; wrong states and other scopes change nothing."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import casefixtures as cf
import pytest
import taskfixtures as tf

from yijian.apply import commitments
from yijian.apply.errors import NotFound
from yijian.apply.services import Services
from yijian.apply.submit import submit
from yijian.casework import kinds
from yijian.casework.commitment import check_due
from yijian.office.commitment import CheckError, record_check

FIRE = "fire-safety-inspection"
USCC = "91441900MA4X00010H"
REVIEWER = tf.member(5, "fire1", ("reviewer", "442000", "fire"))
APPROVED = {"step": "decide_on_commitment", "decision": "approved", "opinion": "材料齐全，当场许可"}


@pytest.fixture
def app(tmp_path: Path) -> Services:
    return tf.services(tmp_path)


def _inspection() -> dict[str, Any]:
    """The first example case, choosing 现场检查: no commitment."""
    answers = tf.case_answers(FIRE)
    answers["fire"] = {"commitment": "现场检查"}
    return answers


def _decided(s: Services, decision: str = "approved") -> str:
    case_no = cf.submitted(s, FIRE, tf.case_answers(FIRE))
    data = {**APPROVED, "decision": decision}
    done = s.store.cases.act(
        case_no, kinds.CONCLUDED, status="concluded", actor="staff:5:fire1", data=data,
        check=lambda events: None,
    )  # fmt: skip
    assert not isinstance(done, str)
    return case_no


def _calendar(s: Services) -> Any:
    return s.registry.current.calendar


def test_the_case_records_the_commitment_made_in_the_form(app: Services) -> None:
    case = app.store.cases.get(cf.submitted(app, FIRE, tf.case_answers(FIRE)))
    assert case is not None
    (entry,) = case.summary["commitments"]
    assert (entry["id"], entry["via"], entry["check_after"]) == ("fire_safety", "answer", 20)
    assert entry["check_department"] == "县消防救援大队" and "30 万元" in entry["text"]
    other = app.store.cases.get(cf.submitted(app, FIRE, _inspection()))
    assert other is not None and other.summary["commitments"] == []


def test_the_check_is_due_twenty_working_days_after_the_approval(app: Services) -> None:
    case_no = _decided(app)
    case = app.store.cases.get(case_no)
    assert case is not None
    due = check_due(app.store.cases.events(case_no), case.summary, _calendar(app))
    assert due is not None
    # from Monday 2025-09-22: 9/28 and 10/11 are worked, 10/1–10/8 are not
    assert (due.decided_on, due.opens) == (date(2025, 9, 22), date(2025, 10, 24))
    assert due.department == "县消防救援大队" and due.commitments[0]["id"] == "fire_safety"


def test_nothing_is_due_before_an_approval_after_a_denial_or_once_checked(app: Services) -> None:
    fresh = cf.submitted(app, FIRE, tf.case_answers(FIRE))
    summary = app.store.cases.get(fresh).summary  # type: ignore[union-attr]
    assert check_due(app.store.cases.events(fresh), summary, _calendar(app)) is None
    denied = _decided(app, "denied")
    assert check_due(app.store.cases.events(denied), summary, _calendar(app)) is None
    checked = _decided(app)
    record_check(app, REVIEWER, checked, True, "现场核查，与承诺一致")
    assert check_due(app.store.cases.events(checked), summary, _calendar(app)) is None


def test_a_true_commitment_is_recorded_once(app: Services) -> None:
    case_no = _decided(app)
    done = record_check(app, REVIEWER, case_no, True, "现场核查，与承诺一致")
    assert done.revoked is None
    assert done.check.data == {
        "true": True,
        "opinion": "现场核查，与承诺一致",
        "department": "fire",
    }
    assert app.store.cases.get(case_no).status == "concluded"  # type: ignore[union-attr]
    with pytest.raises(CheckError, match="已核查"):
        record_check(app, REVIEWER, case_no, False, "再查一次")
    assert [e.kind for e in app.store.cases.events(case_no)][-1] == kinds.COMMITMENT_CHECKED


def test_a_false_commitment_revokes_notifies_and_flags(app: Services) -> None:
    case_no = _decided(app)
    before = len(app.store.outbox.for_case(case_no))
    done = record_check(app, REVIEWER, case_no, False, "疏散通道被占用，与承诺不符")
    assert done.revoked is not None
    assert done.revoked.data["basis"].startswith("《国务院办公厅")
    assert "疏散通道被占用" in done.revoked.data["reason"]
    assert app.store.cases.get(case_no).status == "revoked"  # type: ignore[union-attr]
    rows = app.store.outbox.for_case(case_no)[before:]
    assert {(r["channel"], r["template"]) for r in rows} == {("sms", "revoked")}
    assert app.store.credit.flagged(USCC)
    # the same business cannot commit again: the form's 告知承诺 is refused at submission
    m = app.registry.current.matter(FIRE)
    draft = app.store.drafts.create(m.id, m.version, None)
    app.store.drafts.save(draft.id, tf.case_answers(FIRE), "review")
    again = submit(app, app.store.drafts.get(draft.id), m)
    if again.missing_materials:  # the uploads first, as a citizen would
        for spec in cf.materials.pending(m, again.out):
            app.store.files.put(cf.PDF, "a.pdf", None, draft.id, spec.material.id)
        again = submit(app, app.store.drafts.get(draft.id), m)
    assert again.case is None and again.barred == commitments.FLAGGED


def test_wrong_states_change_nothing(app: Services) -> None:
    fresh = cf.submitted(app, FIRE, tf.case_answers(FIRE))
    count = len(app.store.cases.events(fresh))
    with pytest.raises(CheckError, match="尚未作出准予决定"):
        record_check(app, REVIEWER, fresh, False, "提前核查")
    denied = _decided(app, "denied")
    with pytest.raises(CheckError, match="未予准予"):
        record_check(app, REVIEWER, denied, True, "核查")
    with pytest.raises(CheckError, match="核查意见"):
        record_check(app, REVIEWER, _decided(app), True, "  ")
    assert len(app.store.cases.events(fresh)) == count
    assert not app.store.credit.flagged(USCC)
    revoked = _decided(app)
    record_check(app, REVIEWER, revoked, False, "不符")
    with pytest.raises(CheckError, match="已撤销"):
        record_check(app, REVIEWER, revoked, True, "改判")


def test_only_the_check_department_of_the_region_records_it(app: Services) -> None:
    case_no = _decided(app)
    elsewhere = tf.member(6, "far", ("reviewer", "110105", "fire"))
    market = tf.member(7, "market", ("reviewer", "442000", "market"))
    for outsider in (None, elsewhere, market):
        with pytest.raises(NotFound):
            record_check(app, outsider, case_no, False, "不符")
    clerk = tf.member(8, "clerk", tf.CLERK_GRANTS)
    with pytest.raises(CheckError, match="审查权限"):
        record_check(app, clerk, case_no, False, "不符")
    with pytest.raises(NotFound):  # a case without a commitment is nobody's check
        record_check(app, REVIEWER, cf.submitted(app, FIRE, _inspection()), True, "x")
    head = tf.member(9, "head", ("approver", "442000", None))
    assert record_check(app, head, case_no, True, "负责人核查一致").revoked is None
    assert not app.store.credit.flagged(USCC)


def test_in_the_restaurant_bundle_the_fire_member_is_checked_on_its_sub_case(
    app: Services,
) -> None:
    bundle = "restaurant-bundle"
    top = app.store.cases.get(cf.submitted(app, bundle, tf.case_answers(bundle)))
    assert top is not None and [c["id"] for c in top.summary["commitments"]] == ["fire_safety"]
    subs = {c.matter_id: c for c in top.children}
    fire = subs[FIRE]
    assert [c["id"] for c in fire.summary["commitments"]] == ["fire_safety"]
    assert subs["food-business-licence"].summary["commitments"] == []
    for case in (top, fire):
        app.store.cases.act(
            case.case_no, kinds.CONCLUDED, status="concluded", actor="staff:5:fire1",
            data=APPROVED, check=lambda events: None,
        )  # fmt: skip
    events = app.store.cases.events
    assert check_due(events(top.case_no), top.summary, _calendar(app)) is None
    due = check_due(events(fire.case_no), fire.summary, _calendar(app))
    assert due is not None and due.department == "县消防救援大队"
    with pytest.raises(NotFound):
        record_check(app, REVIEWER, top.case_no, False, "不符")
    done = record_check(app, REVIEWER, fire.case_no, False, "不符")
    assert done.revoked is not None and app.store.credit.flagged(USCC)
    assert app.store.cases.get(fire.case_no).status == "revoked"  # type: ignore[union-attr]
