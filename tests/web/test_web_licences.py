"""我的证照 over HTTP: only the account's own licences, each verifiable by its identifier on the
public page, where a revocation shows; anonymous visitors are sent to sign in."""

from __future__ import annotations

from starlette.applications import Starlette
from webtools import SAME_ORIGIN, TestClient, sign_up

from yijian.store.licences import issue

PASSWORD = "Licence-test-9f3k"


def _citizen(app: Starlette, phone: str) -> TestClient:
    c = TestClient(app, headers=SAME_ORIGIN)
    r = sign_up(c, "王芳", phone, PASSWORD)
    assert r.status_code == 303, r.text[:500]
    return c


def _grant(app: Starlette, owner: int, case_no: str) -> str:
    store = app.state.store
    with store.db.write() as conn:
        done = issue(conn, type_name="出生医学证明电子证照", type_code="12100000MB0000001X001",
                     issuer="县卫生健康局", issuer_code="11442000MB2C12345Q",
                     holder_id="11010519491231002X", holder_masked="王*", owner_id=owner,
                     case_no=case_no, issued_on="2025-09-30", valid_until=None)  # fmt: skip
    return done.identifier


def test_my_licences_are_mine_and_verifiable(app: Starlette, client: TestClient) -> None:
    from test_web_window import _submitted

    case_no = _submitted(client)
    mine = _citizen(app, "13800138001")
    other = _citizen(app, "13800138002")
    me = app.state.store.users.by_phone("13800138001")
    ident = _grant(app, me.id, case_no)
    page = mine.get("/licences")
    assert page.status_code == 200 and ident in page.text and "有效" in page.text
    assert ident not in other.get("/licences").text
    anonymous = TestClient(app, headers=SAME_ORIGIN)
    r = anonymous.get("/licences", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/signin")
    public = anonymous.get(f"/verify/{ident}")
    assert public.status_code == 200 and "出生医学证明电子证照" in public.text
    assert "王*" in public.text and "有效" in public.text
    revoke = {"reason": "虚假承诺", "basis": "第六十九条"}
    app.state.store.cases.append_event(case_no, "revoked", status="revoked", data=revoke)
    assert "已撤销" in anonymous.get(f"/verify/{ident}").text
    assert "已撤销" in mine.get("/licences").text
    for c in (mine, other, anonymous):
        c.close()
