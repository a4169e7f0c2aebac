"""Who applies, at both ends (issue 15 item 4): the form asks it (本人 chosen to start with,
the parent named), and the window clerk sees on whose behalf a 代办人 applies."""

from __future__ import annotations

import copy
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from argon2 import PasswordHasher
from starlette.applications import Starlette
from webtools import REPO, SAME_ORIGIN, TestClient, start

from yijian.apply.correction import open_notice, resubmit
from yijian.apply.submit import submit
from yijian.office.staff import GrantSpec, Operator, add_staff
from yijian.runtime.answers import put
from yijian.store.passwords import Passwords
from yijian.web import Settings, create_app

BIRTH = "birth-registration"
PASSWORD = "agent-test-pass-1"
ANSWERS = {
    "child.name": "李小安",
    "child.sex": "女",
    "child.birth_datetime": "2025-09-28T08:30",
    "mother.name": "王芳",
    "mother.id_number": "11010519491231002X",
    "mother.hukou_region": "442000",
    "father.name": "李明",
    "father.id_number": "440101199001011233",
    "father.hukou_region": "440106",
    "parents.married": True,
    "parents.marriage_cert_no": "J442000-2023-001234",
    "applicant.role": "母亲",
    "applying.mode": "代办",
    "applying.agent_name": "王大明",
    "applying.agent_id_number": "442000196203151230",
    "applying.agent_phone": "13900139000",
    "applying.relation": "父母",
    "registration.side": "随母",
    "registration.household_type": "家庭户",
    "registration.householder_name": "王大明",
    "registration.relation": "外孙女",
    "registration.address": "中山市石岐街道兴中道 1 号",
    "registration.police_station": "石岐派出所",
    "contact.phone": "13800138000",
    "declaration.truthful": True,
}


@pytest.fixture
def app(tmp_path: Path) -> Iterator[Starlette]:
    root = tmp_path / "root"
    shutil.copytree(REPO / "matters" / BIRTH, root / "matters" / BIRTH)
    shutil.copytree(REPO / "forms", root / "forms")
    ignore = shutil.ignore_patterns("__pycache__", "org.yaml")  # org names absent matters
    shutil.copytree(REPO / "rules", root / "rules", ignore=ignore)
    app = create_app(Settings(root=root, db_path=tmp_path / "var" / "yijian.db"))
    app.state.passwords = Passwords(PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
    yield app


def _case(app: Starlette) -> str:
    services = app.state.services
    m = services.registry.current.matter(BIRTH)
    answers: dict[str, Any] = {}
    for k, v in ANSWERS.items():
        put(answers, k, v)
    draft = services.store.drafts.create(m.id, m.version, None)
    services.store.drafts.save(draft.id, answers, "declaration")
    done = submit(services, services.store.drafts.get(draft.id), m)
    assert done.case is not None, done.out.errors
    return done.case.case_no


def test_the_form_asks_who_applies(app: Starlette) -> None:
    with TestClient(app, headers=SAME_ORIGIN) as client:
        draft_id, _ = start(client, BIRTH)
        answers = app.state.store.drafts.get(draft_id).answers
        assert answers["applying"]["mode"] == "本人" and answers["applicant"]["role"] == "母亲"
        page = client.get(f"/drafts/{draft_id}/parents").text
        for text in ("申请人是新生儿的", "申请方式", "他人代为申请（代办）"):
            assert text in page, text


def _clerk(app: Starlette) -> None:
    add_staff(
        app.state.store,
        app.state.passwords,
        login="wang",
        name="wang 姓名",
        password=PASSWORD,
        operator=Operator.shell("test"),
        regions=app.state.regions,
        grants=[GrantSpec("clerk", "442000", None)],
    )


def _signed_in(clerk: TestClient) -> None:
    r = clerk.post(
        "/staff/signin",
        data={"login": "wang", "password": PASSWORD, "next": "/staff"},
        follow_redirects=False,
    )
    assert r.status_code == 303, r.text


def test_the_window_sees_the_agent_and_the_person_applied_for(app: Starlette) -> None:
    case_no = _case(app)
    _clerk(app)
    with TestClient(app, headers=SAME_ORIGIN) as clerk:
        _signed_in(clerk)
        page = clerk.get(f"/staff/cases/{case_no}").text
        assert "王芳（1101**********002X）" in page  # 申请人: the mother, applied for
        assert "代办人" in page and "王大明（4420**********1230），与申请人关系：父母" in page
        queue = clerk.get("/staff").text
        assert "王*" in queue and "1101**********002X" in queue  # the queue names the mother


def test_the_window_sees_the_applicant_as_corrected(app: Starlette) -> None:
    """A 补正 of the 代办人's name: the case page names the corrected one."""
    case_no = _case(app)
    _clerk(app)
    item = "answer:applying.agent_name"
    with TestClient(app, headers=SAME_ORIGIN) as clerk:
        _signed_in(clerk)
        r = clerk.post(
            f"/staff/cases/{case_no}/correct",
            data={"item": [item], f"reason:{item}": "与身份证不一致", "due": "2099-01-01"},
            follow_redirects=False,
        )
        assert r.status_code == 303, r.text
        services = app.state.services
        notice = open_notice(services, services.store.cases.get(case_no))
        answers = copy.deepcopy(notice.answers)
        put(answers, "applying.agent_name", "王大铭")
        assert not isinstance(resubmit(services, notice, answers, {}, "applicant"), str)
        page = clerk.get(f"/staff/cases/{case_no}").text
        assert "王大铭（4420**********1230），与申请人关系：父母" in page
