"""/admin/status shows the audit trail's latest anchor (its hash, time and chains covered)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from argon2 import PasswordHasher
from webtools import SAME_ORIGIN, TestClient

from yijian.office.staff import GrantSpec, Operator, add_staff
from yijian.store.passwords import Passwords

PASSWORD = "admin-test-pass-1"


@pytest.fixture
def admin(app):
    app.state.passwords = Passwords(PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
    add_staff(
        app.state.store, app.state.passwords, login="root", name="root", password=PASSWORD,
        operator=Operator.shell("test"), regions=app.state.regions,
        grants=[GrantSpec("admin", "442000", None)],
    )  # fmt: skip
    with TestClient(app, headers=SAME_ORIGIN) as c:
        r = c.post("/staff/signin", data={"login": "root", "password": PASSWORD})
        assert r.status_code == 200, r.text
        yield c


def test_status_shows_the_latest_anchor(admin, app) -> None:
    assert "尚无审计锚点" in admin.get("/admin/status").text
    store = app.state.store
    draft = store.drafts.create("m", "v1", None)
    store.cases.submit(draft, {}, {}, "442000")
    store.anchors.anchor()
    made = store.anchors.anchor()
    page = admin.get("/admin/status").text
    assert f"第 {made.seq} 个" in page and made.hash in page and "1 件（1 条事件）" in page
    assert "超过两天" not in page
    real = store.db.clock  # an anchor made three days ago (the session stays fresh)
    store.db.clock = lambda: real() - timedelta(days=3)
    try:
        old = store.anchors.anchor()
    finally:
        store.db.clock = real
    page = admin.get("/admin/status").text
    assert "最近的审计锚点已超过两天" in page and old.hash in page
