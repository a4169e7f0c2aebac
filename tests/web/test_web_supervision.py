"""电子监察 over HTTP: a case refused at the window shows with its reason and a link to the
staff case page, the CSV exports say the same, and the page is 404 to another county's
supervisor (for our region), a reviewer and a clerk, and sends the signed-out to sign in."""

from __future__ import annotations

from collections.abc import Iterator
from types import SimpleNamespace

import pytest
from argon2 import PasswordHasher
from starlette.applications import Starlette
from test_web_window import _signed_in, _staff, _submitted
from webtools import SAME_ORIGIN, TestClient

from yijian.store.passwords import Passwords

URLS = ("/staff/supervision", "/staff/supervision.csv", "/staff/supervision.csv?part=cases")


@pytest.fixture
def s(app: Starlette, client: TestClient) -> Iterator[SimpleNamespace]:
    app.state.passwords = Passwords(PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
    _staff(app, "wang", "clerk", "442000")
    _staff(app, "jian", "supervisor", "442000")
    _staff(app, "guan", "admin", "442000")
    _staff(app, "yuan", "supervisor", "110105")  # another county
    _staff(app, "li", "reviewer", "442000", "助产机构")
    refused, running = _submitted(client), _submitted(client)
    people = {x: _signed_in(app, x) for x in ("wang", "jian", "guan", "yuan", "li")}
    clerk = people["wang"]
    r = clerk.post(f"/staff/cases/{refused}/refuse", data={"reason": "申请人不具备申请资格",
                   "basis": "《行政许可法》第三十二条"}, follow_redirects=False)  # fmt: skip
    assert r.status_code == 303
    assert clerk.post(f"/staff/cases/{running}/accept", follow_redirects=False).status_code == 303
    yield SimpleNamespace(app=app, citizen=client, refused=refused, running=running, **people)
    for c in people.values():
        c.close()


def test_the_supervisor_sees_the_refusal_and_drills_down(s) -> None:  # type: ignore[no-untyped-def]
    page = s.jian.get("/staff/supervision")
    assert page.status_code == 200 and "电子监察" in page.text
    assert "申请人不具备申请资格" in page.text and "第三十二条" in page.text
    assert f'href="/staff/cases/{s.refused}"' in page.text
    assert s.jian.get(f"/staff/cases/{s.refused}").status_code == 200  # the drill-down opens
    assert '<a href="/staff/supervision">电子监察</a>' in page.text  # in the staff navigation
    assert "电子监察</a>" not in s.wang.get("/staff").text  # not for a clerk
    figures = s.jian.get("/staff/supervision.csv")
    assert figures.headers["content-type"].startswith("text/csv")
    assert "attachment" in figures.headers["content-disposition"]
    assert "合计" in figures.text and "不予受理/不予许可" in figures.text
    cases = s.jian.get("/staff/supervision.csv?part=cases")
    assert s.refused in cases.text and "申请人不具备申请资格" in cases.text
    filtered = s.jian.get("/staff/supervision?region=442000&since=2000-01-01&until=2000-01-02")
    assert filtered.status_code == 200 and s.refused not in filtered.text
    assert s.guan.get("/staff/supervision").status_code == 200  # an admin of the county


def test_the_page_is_closed_to_those_it_is_not_for(s) -> None:  # type: ignore[no-untyped-def]
    far = s.yuan.get("/staff/supervision")
    assert far.status_code == 200 and s.refused not in far.text  # their own county: nothing
    assert s.yuan.get("/staff/supervision?region=442000").status_code == 404
    assert s.yuan.get("/staff/supervision.csv?region=442000").status_code == 404
    for who in (s.wang, s.li):
        for url in URLS:
            assert who.get(url).status_code == 404, url
    anonymous = TestClient(s.app, headers=SAME_ORIGIN)
    for who in (s.citizen, anonymous):
        for url in URLS:
            r = who.get(url, follow_redirects=False)
            assert r.status_code == 303 and r.headers["location"].startswith("/staff/signin"), url
    anonymous.close()
