"""The window (一窗受理) over HTTP: staff sign-in, the queue, accept, one correction notice the
citizen answers online, refusal, wrong-state actions, and the scope matrix (every staff URL
as a clerk of another county, a citizen, and anonymous)."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace

import pytest
from argon2 import PasswordHasher
from starlette.applications import Starlette
from webtools import BIRTH, BIRTH_PAGES, REPO, SAME_ORIGIN, TestClient, start, with_markers

from yijian.office.staff import GrantSpec, Operator, add_staff
from yijian.store.passwords import Passwords

PASSWORD = "window-test-pass-1"
#: every POST a staff case page has
ACTIONS = ("accept", "refuse", "correct", "tolerate", "extend", "deliver", "rate")


def _staff(app: Starlette, login: str, role: str, region: str, dept: str | None = None) -> None:
    add_staff(
        app.state.store,
        app.state.passwords,
        login=login,
        name=f"{login} 姓名",
        password=PASSWORD,
        operator=Operator.shell("test"),
        regions=app.state.regions,
        grants=[GrantSpec(role, region, dept)],
    )


def _signed_in(app: Starlette, login: str) -> TestClient:
    c = TestClient(app, headers=SAME_ORIGIN)
    r = c.post(
        "/staff/signin",
        data={"login": login, "password": PASSWORD, "next": "/staff"},
        follow_redirects=False,
    )
    assert r.status_code == 303 and r.headers["location"] == "/staff", r.text
    return c


def _submitted(client: TestClient) -> str:
    draft_id, _ = start(client, BIRTH)
    for name, values in BIRTH_PAGES.items():
        r = client.post(
            f"/drafts/{draft_id}/{name}", data=with_markers(values), follow_redirects=False
        )
        assert r.status_code == 303
    r = client.post(f"/drafts/{draft_id}/submit", follow_redirects=False)
    return client.app.state.store.drafts.get(draft_id).case_no  # type: ignore[attr-defined]


@pytest.fixture
def w(app: Starlette, client: TestClient) -> Iterator[SimpleNamespace]:
    app.state.passwords = Passwords(PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
    _staff(app, "wang", "clerk", "442000")
    _staff(app, "zhao", "clerk", "110105")  # another county
    _staff(app, "jian", "supervisor", "442000")
    case_no = _submitted(client)
    clerk, other, supervisor = (_signed_in(app, x) for x in ("wang", "zhao", "jian"))
    yield SimpleNamespace(app=app, citizen=client, case_no=case_no, clerk=clerk, other=other,
                          supervisor=supervisor)  # fmt: skip
    for c in (clerk, other, supervisor):
        c.close()


def test_the_queue_shows_the_case_masked_with_its_window_light(w: SimpleNamespace) -> None:
    page = w.clerk.get("/staff")
    assert page.status_code == 200
    assert w.case_no in page.text and "出生医学证明" in page.text
    assert "王*" in page.text and "1101**********002X" in page.text  # the mother, masked
    assert "11010519491231002X" not in page.text
    assert "yj-light--" in page.text
    assert w.case_no not in w.other.get("/staff").text  # another county's clerk
    assert w.case_no in w.supervisor.get("/staff").text  # supervision sees the region


def test_accept_once_then_a_second_accept_changes_nothing_and_says_why(w: SimpleNamespace) -> None:
    case = w.clerk.get(f"/staff/cases/{w.case_no}")
    assert case.status_code == 200 and "李小安" in case.text and "受理" in case.text
    r = w.clerk.post(f"/staff/cases/{w.case_no}/accept", follow_redirects=False)
    assert r.status_code == 303
    again = w.clerk.post(f"/staff/cases/{w.case_no}/accept", follow_redirects=False)
    assert again.status_code == 400 and "该办件已受理，不能受理" in again.text
    events = w.app.state.store.cases.events(w.case_no)
    assert [e.kind for e in events] == ["submitted", "accepted"]
    assert events[-1].actor.startswith("staff:") and events[-1].actor.endswith(":wang")
    assert w.app.state.store.cases.verify_chain(w.case_no)
    assert "窗口已受理" in w.citizen.get(f"/cases/{w.case_no}").text  # the citizen's timeline


def test_one_correction_answered_online_then_accepted(w: SimpleNamespace) -> None:
    item = "answer:mother.id_number"
    r = w.clerk.post(
        f"/staff/cases/{w.case_no}/correct",
        data={"item": [item], f"reason:{item}": "与户口簿不一致", "due": "2099-01-01"},
        follow_redirects=False,
    )
    assert r.status_code == 303
    second = w.clerk.post(
        f"/staff/cases/{w.case_no}/correct",
        data={"item": [item], f"reason:{item}": "再次", "due": "2099-01-01"},
    )
    assert second.status_code == 400 and "待补正" in second.text  # 一次性告知
    page = w.citizen.get(f"/cases/{w.case_no}")
    assert "需要您补正" in page.text and "与户口簿不一致" in page.text
    form = w.citizen.get(f"/cases/{w.case_no}/correct")
    assert form.status_code == 200 and 'name="mother.id_number"' in form.text
    assert 'name="father.name"' not in form.text  # only what was flagged
    bad = w.citizen.post(
        f"/cases/{w.case_no}/correct",
        data={"mother.id_number": "123", "_f": ["mother.id_number"]},
    )
    assert bad.status_code == 200 and "错误" in bad.text and 'value="123"' in bad.text
    good = w.citizen.post(
        f"/cases/{w.case_no}/correct",
        data={"mother.id_number": "440101199001011241", "_f": ["mother.id_number"]},
        follow_redirects=False,
    )
    assert good.status_code == 303
    case = w.clerk.get(f"/staff/cases/{w.case_no}")
    assert "补正内容" in case.text and "440101199001011241" in case.text
    assert "11010519491231002X" in case.text  # what it was
    assert w.clerk.post(f"/staff/cases/{w.case_no}/accept").status_code == 200
    kinds = [e.kind for e in w.app.state.store.cases.events(w.case_no)]
    assert kinds == ["submitted", "correction_requested", "corrected", "accepted"]
    # the notice is answered: the correction page is gone
    assert w.citizen.get(f"/cases/{w.case_no}/correct").status_code == 404


def test_refusal_needs_reason_and_basis_and_closes_the_case(w: SimpleNamespace) -> None:
    missing = w.clerk.post(f"/staff/cases/{w.case_no}/refuse", data={"reason": "不属于本机关"})
    assert missing.status_code == 400 and "法律依据" in missing.text
    assert len(w.app.state.store.cases.events(w.case_no)) == 1
    r = w.clerk.post(
        f"/staff/cases/{w.case_no}/refuse",
        data={"reason": "不属于本机关职权范围", "basis": "《行政许可法》第三十二条第一款第二项"},
        follow_redirects=False,
    )
    assert r.status_code == 303
    late = w.clerk.post(f"/staff/cases/{w.case_no}/accept")
    assert late.status_code == 400 and "已不予受理，不能受理" in late.text
    assert "不予受理" in w.citizen.get(f"/cases/{w.case_no}").text


def test_supervisor_sees_and_cannot_act(w: SimpleNamespace) -> None:
    page = w.supervisor.get(f"/staff/cases/{w.case_no}")
    assert page.status_code == 200 and "窗口操作" not in page.text
    r = w.supervisor.post(f"/staff/cases/{w.case_no}/accept")
    assert r.status_code == 400 and "只能查看" in r.text
    assert len(w.app.state.store.cases.events(w.case_no)) == 1


def test_scope_matrix(w: SimpleNamespace) -> None:
    """Every staff URL: another county's clerk gets 404; a citizen and anonymous go to the
    staff sign-in (their cookies are not staff sessions); nothing changes."""
    file_id = "nofile"
    urls = [
        ("GET", f"/staff/cases/{w.case_no}"),
        ("GET", f"/staff/cases/{w.case_no}/files/{file_id}"),
        *(("POST", f"/staff/cases/{w.case_no}/{a}") for a in ACTIONS),
    ]
    anonymous = TestClient(w.app, headers=SAME_ORIGIN)
    for method, url in urls:
        assert w.other.request(method, url).status_code == 404, url
        for outsider in (w.citizen, anonymous):
            r = outsider.request(method, url, follow_redirects=False)
            assert r.status_code == 303 and r.headers["location"].startswith("/staff/signin")
    for url in ("/staff", "/staff/assist", "/admin/staff", "/admin/status", "/staff/tasks",
                f"/staff/ratings/{w.case_no}", f"/staff/checks/{w.case_no}",
                "/staff/supervision"):  # fmt: skip
        assert w.citizen.get(url, follow_redirects=False).status_code == 303, url
        assert anonymous.get(url, follow_redirects=False).status_code == 303, url
    assert w.other.post("/staff/assist", data={"matter": BIRTH}).status_code == 404
    assert w.clerk.get("/staff/cases/442000209912319999").status_code == 404
    assert len(w.app.state.store.cases.events(w.case_no)) == 1
    anonymous.close()


def test_reviewers_see_their_departments_cases_only(w: SimpleNamespace, web_root: Path) -> None:
    """A reviewer of the case's department sees it (and cannot act at the window); a reviewer
    of another department gets 404, like every other stranger."""
    # the example organisation, without its centres (they accept matters this root lacks)
    org = (REPO / "rules" / "org.yaml").read_text(encoding="utf-8").split("\ncentres:")[0]
    (web_root / "rules" / "org.yaml").write_text(org, encoding="utf-8")
    assert w.app.state.registry.load() is not None, w.app.state.registry.last_errors
    _staff(w.app, "rev-health", "reviewer", "442000", "health")
    _staff(w.app, "rev-police", "reviewer", "442000", "police")
    mine, other = _signed_in(w.app, "rev-health"), _signed_in(w.app, "rev-police")
    page = mine.get(f"/staff/cases/{w.case_no}")
    assert page.status_code == 200 and "窗口操作" not in page.text
    assert mine.post(f"/staff/cases/{w.case_no}/accept").status_code == 400
    for method, url in [
        ("GET", f"/staff/cases/{w.case_no}"),
        ("GET", f"/staff/cases/{w.case_no}/files/nofile"),
        ("GET", f"/staff/cases/{w.case_no}/notices/1.pdf"),
        *(("POST", f"/staff/cases/{w.case_no}/{a}") for a in ACTIONS),
    ]:
        assert other.request(method, url).status_code == 404, url
    assert len(w.app.state.store.cases.events(w.case_no)) == 1
    mine.close()
    other.close()


def test_cross_site_action_is_refused(w: SimpleNamespace) -> None:
    r = w.clerk.post(f"/staff/cases/{w.case_no}/accept", headers={"sec-fetch-site": "cross-site"})
    assert r.status_code == 403
    assert len(w.app.state.store.cases.events(w.case_no)) == 1


def test_sign_in_failure_and_sign_out(w: SimpleNamespace) -> None:
    c = TestClient(w.app, headers=SAME_ORIGIN)
    bad = c.post("/staff/signin", data={"login": "wang", "password": "wrong"})
    assert bad.status_code == 400 and "登录名或密码不正确" in bad.text
    unknown = c.post("/staff/signin", data={"login": "nobody", "password": "wrong"})
    assert unknown.status_code == 400 and unknown.text.count("登录名或密码不正确") >= 1
    evil = c.post(
        "/staff/signin",
        data={"login": "wang", "password": PASSWORD, "next": "//evil.example/"},
        follow_redirects=False,
    )
    assert evil.headers["location"] == "/staff"
    assert c.get("/staff").status_code == 200
    c.post("/staff/signout")
    assert c.get("/staff", follow_redirects=False).status_code == 303
    c.close()


def _pdf_text(data: bytes, tmp_path: Path) -> str:
    pdf = tmp_path / "n.pdf"
    pdf.write_bytes(data)
    return subprocess.run(
        ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout


def test_every_notice_is_a_pdf_with_chinese_text(w: SimpleNamespace, tmp_path: Path) -> None:
    item = "answer:mother.id_number"
    w.clerk.post(
        f"/staff/cases/{w.case_no}/correct",
        data={"item": [item], f"reason:{item}": "与户口簿不一致", "due": "2099-01-01"},
    )
    page = w.citizen.get(f"/cases/{w.case_no}")
    assert f"/cases/{w.case_no}/notices/2.pdf" in page.text and "补正材料通知书" in page.text
    r = w.citizen.get(f"/cases/{w.case_no}/notices/2.pdf")
    assert r.status_code == 200 and r.content.startswith(b"%PDF-")
    text = _pdf_text(r.content, tmp_path)
    assert "补正材料通知书" in text and w.case_no in text and "与户口簿不一致" in text
    assert "2099年1月1日" in text and "第三十二条" in text
    assert "11010519491231002X" not in text  # masked on paper too
    staff = w.clerk.get(f"/staff/cases/{w.case_no}/notices/2.pdf")
    assert staff.status_code == 200 and staff.content.startswith(b"%PDF-")
    # not a notice event, another county, and a stranger's browser: 404 alike
    assert w.citizen.get(f"/cases/{w.case_no}/notices/1.pdf").status_code == 404
    assert w.other.get(f"/staff/cases/{w.case_no}/notices/2.pdf").status_code == 404
    stranger = TestClient(w.app, headers=SAME_ORIGIN)
    assert stranger.get(f"/cases/{w.case_no}/notices/2.pdf").status_code == 404
    stranger.close()


PDF = b"%PDF-1.4\n% a material\n%%EOF\n"


def _food_case(app: Starlette, client: TestClient, id_number: str = "11010519491231002X") -> str:
    """A submitted 食品经营许可 case whose summary lists one 容缺后补 material (as submission
    writes it), owned by ``client``'s browser."""
    draft = app.state.store.drafts.create("food-business-licence", "v-archived", None)
    summary = {
        "matter_name": "食品经营许可",
        "promised_days": 10,
        "applicant": {"name": "王芳", "id_number": id_number},
        "materials": [
            {"id": "food_safety_rules_catalog", "name": "食品安全规章制度目录",
             "necessity": "容缺后补"},
            {"id": "equipment_layout_and_process", "name": "经营设备布局和操作流程图",
             "necessity": "必要"},
        ],
    }  # fmt: skip
    answers = {"contact": {"phone": "13800138000"}}
    case = app.state.store.cases.submit(draft, answers, summary, "442000")
    remembered = [c.value for c in client.cookies.jar if c.name == "yj_drafts"]
    client.cookies.jar.clear()
    key = f"{draft.id}~{app.state.store.drafts.bind_secret(draft.id)}"  # the browser's secret
    client.cookies.set("yj_drafts", ".".join([*remembered, key]))
    return case.case_no


def test_tolerant_acceptance_supply_and_termination(w: SimpleNamespace) -> None:
    from datetime import timedelta

    from yijian.office.tolerance import terminate_overdue

    app = w.app  # the definition is not in this root: the window works from the case alone
    case_no = _food_case(app, w.citizen)
    today = app.state.services.context().today
    ok = {"material": ["food_safety_rules_catalog"], "signed": "1",
          "due": (today + timedelta(days=3)).isoformat()}  # fmt: skip
    r = w.clerk.post(f"/staff/cases/{case_no}/tolerate", data={**ok, "signed": ""})
    assert r.status_code == 400 and "承诺书" in r.text
    r = w.clerk.post(
        f"/staff/cases/{case_no}/tolerate",
        data={**ok, "material": ["equipment_layout_and_process"]},
    )
    assert r.status_code == 400 and "容缺后补" in r.text
    r = w.clerk.post(f"/staff/cases/{case_no}/tolerate", data={**ok, "due": "2099-01-01"})
    assert r.status_code == 400 and "不能晚于承诺办结期限" in r.text
    assert w.clerk.post(f"/staff/cases/{case_no}/tolerate", data=ok,
                        follow_redirects=False).status_code == 303  # fmt: skip
    events = app.state.store.cases.events(case_no)
    assert [e.kind for e in events] == ["submitted", "tolerant_accepted"]
    rows = (
        app.state.store.db.conn()
        .execute(
            "SELECT template, next_attempt_at FROM outbox WHERE case_no = ? ORDER BY id", (case_no,)
        )
        .fetchall()
    )
    day_before = (today + timedelta(days=2)).isoformat()
    assert [(r[0], r[1][:10]) for r in rows] == [
        ("tolerant_accepted", today.isoformat()),
        ("tolerance_reminder", day_before),  # scheduled: not due before the day before
    ]
    assert "承诺" in events[-1].data["commitment"] and events[-1].actor.endswith(":wang")
    page = w.citizen.get(f"/cases/{case_no}")
    assert "请补交容缺材料" in page.text and "食品安全规章制度目录" in page.text
    assert w.citizen.get(f"/cases/{case_no}/supply").status_code == 200
    files = {"material-food_safety_rules_catalog": ("rules.pdf", PDF, "application/pdf")}
    done = w.citizen.post(f"/cases/{case_no}/supply", files=files, follow_redirects=False)
    assert done.status_code == 303
    assert [e.kind for e in app.state.store.cases.events(case_no)][-1] == "supplied"
    assert "请补交容缺材料" not in w.citizen.get(f"/cases/{case_no}").text
    assert terminate_overdue(app.state.store, today + timedelta(days=30)) == []  # supplied

    # a second case of another applicant: not supplied in time, so terminated and flagged
    late = _food_case(app, w.citizen, "440101199001011233")
    assert w.clerk.post(f"/staff/cases/{late}/tolerate", data=ok,
                        follow_redirects=False).status_code == 303  # fmt: skip
    assert terminate_overdue(app.state.store, today + timedelta(days=1)) == []  # not yet due
    assert terminate_overdue(app.state.store, today + timedelta(days=4)) == [late]
    assert app.state.store.cases.events(late)[-1].kind == "terminated"
    assert "终止办理" in w.citizen.get(f"/cases/{late}").text
    again = _food_case(app, w.citizen, "440101199001011233")
    r = w.clerk.post(f"/staff/cases/{again}/tolerate", data=ok)
    assert r.status_code == 400 and "信用修复前不适用" in r.text


def test_fill_on_behalf_needs_the_applicants_confirmation(w: SimpleNamespace) -> None:
    """帮办代办: the clerk starts an application for a person, fills the citizen's own pages,
    and submits only after the applicant confirms with the code sent to their phone."""
    app = w.app
    form = {"matter": BIRTH, "name": "王芳", "id_number": "123", "phone": "13800138000"}
    bad = w.clerk.post("/staff/assist", data=form)
    assert bad.status_code == 400 and "公民身份号码不正确" in bad.text
    r = w.clerk.post(
        "/staff/assist",
        data={"matter": BIRTH, "name": "王芳", "id_number": "11010519491231002X",
              "phone": "13900139000"},
        follow_redirects=False,
    )  # fmt: skip
    assert r.status_code == 303 and r.headers["location"].endswith("/child")
    draft_id = r.headers["location"].split("/")[2]
    for name, values in BIRTH_PAGES.items():  # the same pages a citizen fills
        page = w.clerk.post(f"/drafts/{draft_id}/{name}", data=with_markers(values),
                            follow_redirects=False)  # fmt: skip
        assert page.status_code == 303
    early = w.clerk.post(f"/drafts/{draft_id}/submit")
    assert early.status_code == 400 and "请先由申请人确认代办" in early.text
    wrong = w.clerk.post(f"/drafts/{draft_id}/assist-confirm", data={"code": "000000x"})
    assert wrong.status_code == 400 and "确认码不正确" in wrong.text
    (row,) = (
        app.state.store.db.conn()
        .execute(
            "SELECT recipient, data FROM outbox WHERE idempotency_key = ?", (f"assist:{draft_id}",)
        )
        .fetchall()
    )
    assert row[0] == "13900139000"
    import json

    code = json.loads(row[1])["code"]
    # the draft is the clerk's browser's: another citizen and anonymous cannot confirm it
    assert (
        w.citizen.post(f"/drafts/{draft_id}/assist-confirm", data={"code": code}).status_code == 404
    )
    stranger = TestClient(w.app, headers=SAME_ORIGIN)
    assert (
        stranger.post(f"/drafts/{draft_id}/assist-confirm", data={"code": code}).status_code == 404
    )
    stranger.close()
    ok = w.clerk.post(f"/drafts/{draft_id}/assist-confirm", data={"code": code},
                      follow_redirects=False)  # fmt: skip
    assert ok.status_code == 303
    done = w.clerk.post(f"/drafts/{draft_id}/submit", follow_redirects=False)
    assert done.status_code == 303
    case_no = app.state.store.drafts.get(draft_id).case_no
    case = app.state.store.cases.get(case_no)
    assert case.summary["assisted"]["by"].endswith(":wang")
    assert case.summary["assisted"]["via"] == "code"
    page = w.clerk.get(f"/staff/cases/{case_no}")
    assert "工作人员 wang 代办，申请人以确认码确认" in page.text
    # only a window clerk of the site may start one
    assert w.supervisor.get("/staff/assist").status_code == 404
    assert w.other.post("/staff/assist", data={"matter": BIRTH}).status_code == 404


def test_extension_needs_an_approver_and_stays_within_the_law(w: SimpleNamespace) -> None:
    app = w.app
    _staff(app, "head", "approver", "442000")
    head = _signed_in(app, "head")
    case_no = _food_case(app, w.citizen)
    assert w.clerk.post(f"/staff/cases/{case_no}/accept", follow_redirects=False).status_code == 303
    page = head.get(f"/staff/cases/{case_no}")
    assert "延期（负责人）" in page.text
    assert "延期（负责人）" not in w.clerk.get(f"/staff/cases/{case_no}").text
    by_clerk = w.clerk.post(f"/staff/cases/{case_no}/extend", data={"days": "5", "reason": "x"})
    assert by_clerk.status_code == 400 and "负责人" in by_clerk.text
    no_reason = head.post(f"/staff/cases/{case_no}/extend", data={"days": "5", "reason": " "})
    assert no_reason.status_code == 400 and "理由" in no_reason.text
    ok = head.post(
        f"/staff/cases/{case_no}/extend",
        data={"days": "5", "reason": "需组织专家评审"},
        follow_redirects=False,
    )
    assert ok.status_code == 303
    too_long = head.post(f"/staff/cases/{case_no}/extend", data={"days": "6", "reason": "再延"})
    assert too_long.status_code == 400 and "10 个工作日" in too_long.text
    events = app.state.store.cases.events(case_no)
    assert [e.kind for e in events] == ["submitted", "accepted", "extended"]
    assert events[-1].data["approver"].endswith(":head")
    assert "办理时限延长" in w.citizen.get(f"/cases/{case_no}").text
    head.close()


def test_the_queue_holds_the_matters_the_clerks_centre_accepts(
    w: SimpleNamespace, web_root: Path
) -> None:
    """A centre that accepts only some matters: its clerk's queue holds those; a supervisor of
    the region still sees every case."""
    org = (REPO / "rules" / "org.yaml").read_text(encoding="utf-8").split("\ncentres:")[0]
    org += (
        "\ncentres:\n  - id: county\n    name: 县政务服务中心\n    level: county\n"
        '    region: "442000"\n    accepts: [hardship-relief]\n'
    )
    (web_root / "rules" / "org.yaml").write_text(org, encoding="utf-8")
    assert w.app.state.registry.load() is not None, w.app.state.registry.last_errors
    assert w.case_no not in w.clerk.get("/staff").text  # 出生医学证明 is not accepted here
    assert w.case_no in w.supervisor.get("/staff").text
    (web_root / "rules" / "org.yaml").write_text(
        org.replace("accepts: [hardship-relief]", "accepts: all"), encoding="utf-8"
    )
    assert w.app.state.registry.load() is not None
    assert w.case_no in w.clerk.get("/staff").text


def test_the_queue_pages_forward_and_back_by_its_links(
    w: SimpleNamespace, monkeypatch: pytest.MonkeyPatch
) -> None:
    """下一页/上一页 carry the page's first or last row (a keyset), so a deep page is read from
    the index where it starts; following them walks the same pages as the numbers do."""
    import re

    from yijian.office import queue as window_queue

    monkeypatch.setattr(window_queue, "PER_PAGE", 2)
    nos = [w.case_no, *(_submitted(w.citizen) for _ in range(4))]

    def listed(html: str) -> list[str]:
        return [n for n in dict.fromkeys(re.findall(r"\d{20}", html)) if n in nos]

    seen, page = [], w.clerk.get("/staff").text
    assert "第 1 页，共 3 页" in page
    for number in (2, 3):
        seen += listed(page)
        link = re.search(r'href="(/staff\?page=\d+&amp;after=[^"]+)">下一页', page)
        assert link is not None
        page = w.clerk.get(link.group(1).replace("&amp;", "&")).text
        assert f"第 {number} 页，共 3 页" in page
    seen += listed(page)
    assert seen == nos  # oldest first, each once
    back = re.search(r'href="(/staff\?page=2&amp;before=[^"]+)">上一页', page)
    assert back is not None
    assert listed(w.clerk.get(back.group(1).replace("&amp;", "&")).text) == nos[2:4]
    assert listed(w.clerk.get("/staff?page=2&after=nonsense").text) == nos[2:4]  # by number
