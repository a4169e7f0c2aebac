"""好差评 over HTTP: the citizen rates a closed case once on its page; a 差评 reaches the
responsible department (queue and rating page) and nobody else; anonymous staff URLs sign in."""

from __future__ import annotations

from collections.abc import Iterator
from types import SimpleNamespace

import pytest
from argon2 import PasswordHasher
from starlette.applications import Starlette
from test_web_window import _signed_in, _staff, _submitted
from webtools import SAME_ORIGIN, TestClient

from yijian.store.passwords import Passwords

#: this partial root has no org.yaml: departments are known by name
ISSUER, OWNER = "助产机构", "县卫生健康局"


@pytest.fixture
def r(app: Starlette, client: TestClient) -> Iterator[SimpleNamespace]:
    app.state.passwords = Passwords(PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
    _staff(app, "wang", "clerk", "442000")
    _staff(app, "li", "reviewer", "442000", ISSUER)
    _staff(app, "he", "reviewer", "442000", OWNER)
    _staff(app, "far", "reviewer", "110105", OWNER)
    case_no = _submitted(client)
    clerk, li, he, far = (_signed_in(app, x) for x in ("wang", "li", "he", "far"))
    assert clerk.post(f"/staff/cases/{case_no}/accept", follow_redirects=False).status_code == 303
    done = li.post(f"/staff/tasks/{case_no}/-/issue/pass", data={"opinion": "签发"},
                   follow_redirects=False)  # fmt: skip
    assert done.status_code == 303
    yield SimpleNamespace(app=app, citizen=client, case_no=case_no, he=he, far=far, li=li)
    for c in (clerk, li, he, far):
        c.close()


def test_rate_once_and_a_bad_rating_reaches_its_department(r) -> None:  # type: ignore[no-untyped-def]
    page = r.citizen.get(f"/cases/{r.case_no}")
    assert "评价本次办理" in page.text and 'name="score"' in page.text
    empty = r.citizen.post(f"/cases/{r.case_no}/rate", data={"comment": "x"})
    assert empty.status_code == 400 and "请选择满意程度" in empty.text
    done = r.citizen.post(f"/cases/{r.case_no}/rate",
                          data={"score": "1", "indicator:efficiency": "1", "comment": "等太久"},
                          follow_redirects=False)  # fmt: skip
    assert done.status_code == 303
    after = r.citizen.get(f"/cases/{r.case_no}").text
    assert "您的评价：非常不满意" in after and 'name="score"' not in after
    again = r.citizen.post(f"/cases/{r.case_no}/rate", data={"score": "5"})
    assert again.status_code == 400 and "一事一评" in again.text
    queue = r.he.get("/staff/tasks").text
    assert f"/staff/ratings/{r.case_no}" in queue and "差评回访" in queue
    page = r.he.get(f"/staff/ratings/{r.case_no}")
    assert page.status_code == 200 and "等太久" in page.text and "记录回访" in page.text
    for who in (r.far, r.li):  # another county; the department that only issued it
        assert who.get(f"/staff/ratings/{r.case_no}").status_code == 404
        post = who.post(f"/staff/ratings/{r.case_no}/revisit", data={"note": "x"})
        assert post.status_code == 404
    anonymous = TestClient(r.app, headers=SAME_ORIGIN)
    got = anonymous.get(f"/staff/ratings/{r.case_no}", follow_redirects=False)
    assert got.status_code == 303 and "/staff/signin" in got.headers["location"]
    stranger = anonymous.post(f"/cases/{r.case_no}/rate", data={"score": "5"})
    assert stranger.status_code == 404  # not the applicant's browser
    anonymous.close()
    ok = r.he.post(f"/staff/ratings/{r.case_no}/revisit", data={"note": "已回访"},
                   follow_redirects=False)  # fmt: skip
    assert ok.status_code == 303 and "差评整改" in r.he.get("/staff/tasks").text


def test_a_window_visit_is_rated_at_the_window(app: Starlette, client: TestClient) -> None:
    """一次一评: the clerk records the visitor's rating of this visit; each visit may rate."""
    app.state.passwords = Passwords(PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
    _staff(app, "wang", "clerk", "442000")
    _staff(app, "zhao", "clerk", "110105")
    case_no = _submitted(client)
    clerk, other = _signed_in(app, "wang"), _signed_in(app, "zhao")
    for score in ("5", "4"):
        r = clerk.post(f"/staff/cases/{case_no}/rate", data={"score": score},
                       follow_redirects=False)  # fmt: skip
        assert r.status_code == 303
    bad = clerk.post(f"/staff/cases/{case_no}/rate", data={"score": "9"})
    assert bad.status_code == 400 and "满意程度" in bad.text
    assert other.post(f"/staff/cases/{case_no}/rate", data={"score": "1"}).status_code == 404
    events = app.state.store.cases.events(case_no)
    window = [e.data["score"] for e in events if e.kind == "rated"]
    assert window == [5, 4] and all(
        e.data["channel"] == "window" for e in events if e.kind == "rated"
    )
    # the online 一事一评 is still the applicant's to give once the case is closed
    assert "评价本次办理" not in client.get(f"/cases/{case_no}").text
    clerk.close(), other.close()
