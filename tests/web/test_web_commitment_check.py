"""The 告知承诺 核查 page over HTTP: the checking department's reviewer records what the check
found once the decision stands; a false commitment revokes it; another county, another
department and the signed-out get nothing (404 / sign-in), and a wrong state changes nothing."""

from __future__ import annotations

from collections.abc import Iterator
from types import SimpleNamespace

import pytest
from argon2 import PasswordHasher
from starlette.applications import Starlette
from test_web_window import _signed_in, _staff
from webtools import SAME_ORIGIN, TestClient

from yijian.casework import kinds
from yijian.store.passwords import Passwords

FIRE = "县消防救援大队"  # this root has no rules/org.yaml: departments go by name


def _case(app: Starlette) -> str:
    """A submitted 消防 case that made its commitment in the form (as submission records it)."""
    draft = app.state.store.drafts.create("fire-safety-inspection", "v-archived", None)
    summary = {
        "matter_name": "公众聚集场所投入使用、营业前消防安全检查",
        "commitments": [
            {"id": "fire_safety", "matter": "fire-safety-inspection", "via": "answer",
             "text": "本单位承诺经营场所符合消防技术标准和管理规定。", "materials": [],
             "rules": [], "check_after": 20, "check_department": FIRE},
        ],
    }  # fmt: skip
    answers = {"business": {"uscc": "91441900MA4X00010H"}, "contact": {"phone": "13800138000"}}
    return app.state.store.cases.submit(draft, answers, summary, "442000").case_no


def _approve(app: Starlette, case_no: str) -> None:
    data = {"step": "decide_on_commitment", "decision": "approved", "opinion": "当场许可"}
    app.state.store.cases.act(
        case_no, kinds.CONCLUDED, status="concluded", actor="staff:1:x", data=data,
        check=lambda events: None,
    )  # fmt: skip


@pytest.fixture
def s(app: Starlette, client: TestClient) -> Iterator[SimpleNamespace]:
    app.state.passwords = Passwords(PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
    _staff(app, "fire", "reviewer", "442000", FIRE)
    _staff(app, "far", "reviewer", "110105", FIRE)  # another county
    _staff(app, "police", "reviewer", "442000", "县公安局")  # another department
    _staff(app, "desk", "clerk", "442000")
    clients = {x: _signed_in(app, x) for x in ("fire", "far", "police", "desk")}
    yield SimpleNamespace(app=app, citizen=client, case_no=_case(app), **clients)
    for c in clients.values():
        c.close()


def test_the_reviewer_records_a_false_commitment_and_the_decision_is_revoked(
    s: SimpleNamespace,
) -> None:
    url = f"/staff/checks/{s.case_no}"
    assert f'href="{url}"' in s.desk.get(f"/staff/cases/{s.case_no}").text  # the case page links
    page = s.fire.get(url)
    assert page.status_code == 200 and "本单位承诺经营场所符合消防技术标准" in page.text
    assert 'name="found"' not in page.text  # no decision yet: nothing to record
    r = s.fire.post(url, data={"found": "false", "opinion": "提前核查"})
    assert r.status_code == 400 and "尚未作出准予决定" in r.text
    _approve(s.app, s.case_no)
    page = s.fire.get(url)
    assert 'name="found"' in page.text  # (核查开始: today's +20 working days may lack a calendar)
    r = s.fire.post(url, data={"found": "maybe", "opinion": "x"})
    assert r.status_code == 400 and "请选择核查结论" in r.text
    found = {"found": "false", "opinion": "疏散通道被占用"}
    r = s.fire.post(url, data=found, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == url
    page = s.fire.get(url).text
    assert "承诺不实：疏散通道被占用" in page and "决定已撤销" in page
    assert s.app.state.store.cases.get(s.case_no).status == "revoked"
    assert s.app.state.store.credit.flagged("91441900MA4X00010H")
    r = s.fire.post(url, data={"found": "true", "opinion": "再查"})
    assert r.status_code == 400 and "已撤销" in r.text


def test_scope_other_county_department_clerk_citizen_and_anonymous(s: SimpleNamespace) -> None:
    _approve(s.app, s.case_no)
    url = f"/staff/checks/{s.case_no}"
    for outsider in (s.far, s.police):
        assert outsider.get(url).status_code == 404
        assert outsider.post(url, data={"found": "false", "opinion": "x"}).status_code == 404
    assert s.fire.get("/staff/checks/NO-SUCH-CASE").status_code == 404
    r = s.desk.post(url, data={"found": "false", "opinion": "x"})  # sees, may not act
    assert r.status_code == 400 and "审查权限" in r.text
    anonymous = TestClient(s.app, headers=SAME_ORIGIN)  # no lifespan: the app stays up
    for c in (anonymous, s.citizen):
        got = c.get(url, follow_redirects=False)
        assert got.status_code == 303 and got.headers["location"].startswith("/staff/signin")
        posted = c.post(url, data={"found": "false", "opinion": "x"}, follow_redirects=False)
        assert posted.status_code in (303, 403)
    assert s.app.state.store.cases.get(s.case_no).status == "concluded"
    assert not s.app.state.store.credit.flagged("91441900MA4X00010H")
