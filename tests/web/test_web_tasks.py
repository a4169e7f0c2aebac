"""The department's pages over HTTP: the queue after acceptance, a task page with the matter's
answers, claim and pass with an opinion, a wrong-state action that changes nothing, and every
task URL as another county's reviewer, another department, a citizen and anonymous."""

from __future__ import annotations

from collections.abc import Iterator
from types import SimpleNamespace

import pytest
from argon2 import PasswordHasher
from starlette.applications import Starlette
from test_web_window import _signed_in, _staff, _submitted
from webtools import SAME_ORIGIN, TestClient

from yijian.store.passwords import Passwords

#: the birth example's routing: issue by 助产机构 (this partial root has no org.yaml, so the
#: department is known by its name)
DEPT = "助产机构"


@pytest.fixture
def d(app: Starlette, client: TestClient) -> Iterator[SimpleNamespace]:
    app.state.passwords = Passwords(PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
    _staff(app, "wang", "clerk", "442000")
    _staff(app, "li", "reviewer", "442000", DEPT)
    _staff(app, "far", "reviewer", "110105", DEPT)  # the same department, another county
    _staff(app, "cop", "reviewer", "442000", "户籍地派出所")  # another department
    case_no = _submitted(client)
    clerk, li, far, cop = (_signed_in(app, x) for x in ("wang", "li", "far", "cop"))
    assert clerk.post(f"/staff/cases/{case_no}/accept", follow_redirects=False).status_code == 303
    href = f"/staff/tasks/{case_no}/-/issue"
    yield SimpleNamespace(app=app, citizen=client, case_no=case_no, clerk=clerk, li=li, far=far,
                          cop=cop, href=href)  # fmt: skip
    for c in (clerk, li, far, cop):
        c.close()


def test_the_queue_lists_the_open_task_and_the_task_page_shows_the_answers(d) -> None:  # type: ignore[no-untyped-def]
    page = d.li.get("/staff/tasks")
    assert page.status_code == 200 and d.case_no in page.text and d.href in page.text
    assert "yj-light--" in page.text
    assert d.case_no not in d.far.get("/staff/tasks").text  # another county
    assert d.case_no not in d.cop.get("/staff/tasks").text  # another department
    task = d.li.get(d.href)
    assert task.status_code == 200 and "李小安" in task.text and "认领" in task.text
    assert "中山市" in task.text and ">442000<" not in task.text  # worded, not raw codes


def test_claim_pass_and_the_case_concludes(d) -> None:  # type: ignore[no-untyped-def]
    assert d.li.post(d.href + "/claim", follow_redirects=False).status_code == 303
    empty = d.li.post(d.href + "/pass", data={"opinion": " "})
    assert empty.status_code == 400 and "请填写审查意见" in empty.text
    r = d.li.post(d.href + "/pass", data={"opinion": "信息一致，签发"}, follow_redirects=False)
    assert r.status_code == 303
    store = d.app.state.store
    assert store.cases.get(d.case_no).status == "concluded"
    again = d.li.post(d.href + "/pass", data={"opinion": "再次"})
    assert again.status_code == 400 and "已经办完" in again.text
    kinds = [e.kind for e in store.cases.events(d.case_no)]
    assert kinds == ["submitted", "accepted", "task_claimed", "step_passed", "concluded"]
    assert store.tasks.of_case(d.case_no) == []
    assert "信息一致，签发" in d.li.get(d.href).text  # the opinion stays on the page


def test_every_task_url_is_closed_to_those_it_is_not_for(d) -> None:  # type: ignore[no-untyped-def]
    """Another county's reviewer and another department get 404 (nobody learns what exists
    elsewhere); a citizen and anonymous are sent to the staff sign-in; nothing changes."""
    anonymous = TestClient(d.app, headers=SAME_ORIGIN)
    actions = ("claim", "pass", "approve", "deny", "release", "assign", "send_back", "suspend",
               "resume", "correct")  # fmt: skip
    for who in (d.far, d.cop):
        assert who.get(d.href).status_code == 404
        for action in actions:
            r = who.post(f"{d.href}/{action}", data={"opinion": "x"}, follow_redirects=False)
            assert r.status_code == 404, action
    for who in (d.citizen, anonymous):
        r = who.get(d.href, follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"].startswith("/staff/signin")
        for action in actions:
            r = who.post(f"{d.href}/{action}", data={"opinion": "x"}, follow_redirects=False)
            assert r.status_code == 303 and "/staff/signin" in r.headers["location"], action
        assert d.case_no not in who.get("/staff/tasks").text
    anonymous.close()
    assert [e.kind for e in d.app.state.store.cases.events(d.case_no)][-1] == "accepted"


def test_the_window_hands_out_the_result_and_the_citizen_sees_it(d) -> None:  # type: ignore[no-untyped-def]
    early = d.clerk.post(f"/staff/cases/{d.case_no}/deliver", data={"method": "window"})
    assert early.status_code == 400 and "尚未办结" in early.text
    d.li.post(d.href + "/pass", data={"opinion": "签发"}, follow_redirects=False)
    page = d.clerk.get(f"/staff/cases/{d.case_no}")
    assert "综合出件" in page.text and "已办完" in page.text
    r = d.clerk.post(
        f"/staff/cases/{d.case_no}/deliver", data={"method": "window"}, follow_redirects=False
    )
    assert r.status_code == 303
    mine = d.citizen.get(f"/cases/{d.case_no}").text
    assert "已出件" in mine and "已在综合窗口领取全部办理结果" in mine


def test_a_correction_after_acceptance_is_answered_online_and_the_task_resumes(d) -> None:  # type: ignore[no-untyped-def]
    item = "answer:mother.id_number"
    r = d.li.post(
        d.href + "/correct",
        data={"item": [item], f"reason:{item}": "与出生记录不一致", "due": "2099-01-01"},
        follow_redirects=False,
    )
    assert r.status_code == 303
    store = d.app.state.store
    assert store.cases.get(d.case_no).status == "correction"
    assert [row.state for row in store.tasks.of_case(d.case_no)] == ["suspended"]
    pass_now = d.li.post(d.href + "/pass", data={"opinion": "同意"})
    assert pass_now.status_code == 400 and "暂停" in pass_now.text
    page = d.citizen.get(f"/cases/{d.case_no}")
    assert "与出生记录不一致" in page.text
    done = d.citizen.post(
        f"/cases/{d.case_no}/correct",
        data={"mother.id_number": "440101199001011241", "_f": ["mother.id_number"]},
        follow_redirects=False,
    )
    assert done.status_code == 303
    assert store.cases.get(d.case_no).status == "accepted"  # back to the department, not the window
    assert [row.state for row in store.tasks.of_case(d.case_no)] == ["open"]
    assert d.case_no not in d.clerk.get("/staff").text  # not back in the window's queue
    assert "440101199001011241" in d.li.get(d.href).text  # the task shows the corrected answer


def test_the_approved_result_is_a_sealed_document_the_applicant_downloads(d) -> None:  # type: ignore[no-untyped-def]
    d.li.post(d.href + "/pass", data={"opinion": "签发"}, follow_redirects=False)
    page = d.citizen.get(f"/cases/{d.case_no}").text
    assert "下载出生医学证明（PDF" in page
    link = next(x for x in page.split('"') if "/results/" in x)
    pdf = d.citizen.get(link)
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert d.citizen.get(link).content == pdf.content  # issued once
    import subprocess

    text = subprocess.run(["pdftotext", "-", "-"], input=pdf.content, capture_output=True).stdout
    assert "李小安" in text.decode() and "查验码" in text.decode()
    strangers = (d.far, d.cop)
    for who in strangers:  # staff clients have no citizen capability on it
        assert who.get(link).status_code == 404
