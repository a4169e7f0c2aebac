"""Admin pages: status (the snapshot served and the errors of a broken change, old snapshot
kept) and staff accounts, only for staff with an admin grant."""

from __future__ import annotations

import pytest
from argon2 import PasswordHasher
from webtools import BIRTH, SAME_ORIGIN, TestClient

from yijian.office.staff import GrantSpec, Operator, add_staff
from yijian.store.passwords import Passwords

PASSWORD = "admin-test-pass-1"


def _add(app, login, role, region="442000", dept=None):
    add_staff(
        app.state.store, app.state.passwords, login=login, name=login, password=PASSWORD,
        operator=Operator.shell("test"), regions=app.state.regions,
        grants=[GrantSpec(role, region, dept)],
    )  # fmt: skip


def _sign_in(client, login):
    r = client.post("/staff/signin", data={"login": login, "password": PASSWORD})
    assert r.status_code == 200, r.text


@pytest.fixture
def client(app):
    """Signed in as an admin of the county (the admin pages need one)."""
    app.state.passwords = Passwords(PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
    _add(app, "root", "admin")
    with TestClient(app, headers=SAME_ORIGIN) as c:
        _sign_in(c, "root")
        yield c


def test_status_page(client, app):
    r = client.get("/admin/status")
    assert r.status_code == 200
    assert app.state.registry.current.version in r.text
    assert "3 个事项，0 个一件事" in r.text and "没有错误" in r.text


def test_admin_pages_need_an_admin(client, app):
    _add(app, "clerk1", "clerk")
    anonymous = TestClient(app, headers=SAME_ORIGIN)  # no lifespan: the app stays open
    for url in ("/admin/status", "/admin/staff"):
        r = anonymous.get(url, follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"].startswith("/staff/signin")
    _sign_in(anonymous, "clerk1")
    assert anonymous.get("/admin/status").status_code == 404
    assert anonymous.get("/admin/staff").status_code == 404
    assert anonymous.post("/admin/staff/root/disable").status_code == 404


def test_admin_adds_and_disables_staff_within_their_region(client, app):
    _add(app, "far", "clerk", "110105")
    page = client.get("/admin/staff")
    assert page.status_code == 200 and "far" not in page.text  # outside the admin's region
    bad = client.post(
        "/admin/staff",
        data={"login": "li", "name": "李", "password": "x", "role": "clerk", "region": "442000"},
    )
    assert bad.status_code == 400 and 'value="li"' in bad.text
    ok = client.post(
        "/admin/staff",
        data={"login": "li", "name": "李明", "password": PASSWORD, "role": "clerk",
              "region": "442000"},
        follow_redirects=False,
    )  # fmt: skip
    assert ok.status_code == 303
    assert "李明" in client.get("/admin/staff").text
    li = TestClient(app, headers=SAME_ORIGIN)  # a second browser (no lifespan of its own)
    _sign_in(li, "li")
    assert li.get("/staff").status_code == 200
    assert client.post("/admin/staff/li/disable", follow_redirects=False).status_code == 303
    assert li.get("/staff", follow_redirects=False).status_code == 303  # session ended
    assert client.post("/admin/staff/far/disable").status_code == 404
    assert not app.state.store.staff.by_login("far").disabled


def test_broken_definition_keeps_old_snapshot_and_shows_errors(client, app, web_root):
    before = app.state.registry.current.version
    form = web_root / "matters" / BIRTH / "form.yaml"
    form.write_text(
        form.read_text(encoding="utf-8").replace("type: datetime", "type: datetim"),
        encoding="utf-8",
    )
    assert app.state.registry.load() is None
    assert app.state.registry.current.version == before
    r = client.get("/admin/status")
    assert f"matters/{BIRTH}/form.yaml:" in r.text and "[E-" in r.text
    assert "网站继续使用上一个正确的版本" in r.text
    # citizens still get the old, good form
    assert client.get(f"/matters/{BIRTH}").status_code == 200
    assert client.post(f"/apply/{BIRTH}", follow_redirects=True).status_code == 200
