"""An anonymous submitter keeps their case: signing up in the same browser claims it, and
办件查询 finds its progress by case number and the applicant's ID number, from any device."""

from __future__ import annotations

from starlette.applications import Starlette
from webtools import BIRTH, BIRTH_PAGES, SAME_ORIGIN, TestClient, sign_up, start, with_markers

MOTHER_ID = BIRTH_PAGES["parents"]["mother.id_number"]


def _submit(client: TestClient) -> str:
    draft_id, _ = start(client, BIRTH)
    for name, values in BIRTH_PAGES.items():
        client.post(f"/drafts/{draft_id}/{name}", data=with_markers(values))
    client.post(f"/drafts/{draft_id}/submit")
    return client.app.state.store.drafts.get(draft_id).case_no  # type: ignore[attr-defined]


def test_signing_up_in_the_same_browser_claims_the_case(client: TestClient) -> None:
    case_no = _submit(client)
    r = sign_up(client, "王芳", "13800138000", "a-long-password-1")
    assert r.status_code == 303, r.text
    mine = client.get("/my")
    assert case_no in mine.text
    case = client.app.state.store.cases.get(case_no)  # type: ignore[attr-defined]
    assert case.owner_id is not None


def test_progress_by_case_number_and_id_number_from_another_device(
    app: Starlette, client: TestClient
) -> None:
    case_no = _submit(client)
    other = TestClient(app, headers=SAME_ORIGIN)
    assert other.get(f"/cases/{case_no}").status_code == 404  # the case page stays the owner's
    found = other.post("/progress", data={"case_no": case_no, "id_number": MOTHER_ID.lower()})
    assert found.status_code == 200 and "已提交申请" in found.text and case_no in found.text
    assert "李小安" not in found.text and MOTHER_ID not in found.text  # progress only
    for wrong in (
        {"case_no": case_no, "id_number": "440101199001011233"},  # another person's number
        {"case_no": "442000209912319999", "id_number": MOTHER_ID},  # no such case
        {"case_no": case_no, "id_number": ""},
    ):
        r = other.post("/progress", data=wrong)
        assert r.status_code == 404 and "没有找到与办件编号和身份证件号码都相符的办件" in r.text
    assert other.get("/progress").status_code == 200
    cross = other.post(
        "/progress", data={"case_no": case_no, "id_number": MOTHER_ID},
        headers={"sec-fetch-site": "cross-site"},
    )  # fmt: skip
    assert cross.status_code == 403
    other.close()


def test_the_case_page_says_what_happens_next_and_sign_in_errors_say_so_in_the_title(
    client: TestClient,
) -> None:
    case_no = _submit(client)
    page = client.get(f"/cases/{case_no}")
    assert "接下来" in page.text and "当场办结" in page.text  # a 即办件: no 5 working days
    bad = client.post("/signin", data={"phone": "13800138000", "password": "wrong-password"})
    assert bad.status_code == 400 and "<title>错误：" in bad.text
