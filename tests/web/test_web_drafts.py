"""Drafts: only their owner or the browser that started them opens them; save and resume."""

from __future__ import annotations

from datetime import timedelta

import pytest
from webtools import BIRTH, BIRTH_PAGES, HTMX, start, with_markers

from yijian.web.auth import COOKIE


def draft_urls(draft_id: str) -> list[tuple[str, str]]:
    return [
        ("GET", f"/drafts/{draft_id}"),
        ("GET", f"/drafts/{draft_id}/child"),
        ("POST", f"/drafts/{draft_id}/child"),
        ("POST", f"/drafts/{draft_id}/child/change?field=child.name"),
        ("GET", f"/drafts/{draft_id}/review"),
        ("GET", f"/drafts/{draft_id}/_cannot-apply"),
        ("POST", f"/drafts/{draft_id}/submit"),
        ("GET", f"/drafts/{draft_id}/save"),
        ("POST", f"/drafts/{draft_id}/save"),
    ]


def sign_in(app, client, phone: str) -> int:
    user = app.state.store.users.create(phone, "x", "测试")
    client.cookies.set(COOKIE, app.state.store.sessions.create(user.id))
    return user.id


def test_another_browser_cannot_open_an_anonymous_draft(client, other_client, app):
    draft_id, _ = start(client, BIRTH)
    client.post(f"/drafts/{draft_id}/child", data=with_markers({"child.name": "李小安"}))
    for method, url in draft_urls(draft_id):
        r = other_client.request(method, url, data={"child.name": "x"}, follow_redirects=False)
        assert r.status_code == 404, (method, url)
        assert "李小安" not in r.text
    assert app.state.store.drafts.get(draft_id).answers["child"]["name"] == "李小安"
    # a made-up id looks exactly the same as somebody else's
    assert other_client.get("/drafts/doesnotexist12345/child").status_code == 404


def test_another_account_cannot_open_an_owned_draft(client, other_client, app):
    sign_in(app, client, "13800000001")
    draft_id, _ = start(client, BIRTH)
    assert app.state.store.drafts.get(draft_id).owner_id is not None
    sign_in(app, other_client, "13800000002")
    for method, url in draft_urls(draft_id):
        assert other_client.request(method, url, follow_redirects=False).status_code == 404
    # signed out (no session) on the owner's browser: also a 404
    client.cookies.delete(COOKIE)
    assert client.get(f"/drafts/{draft_id}/child").status_code == 404


def test_signing_in_claims_the_anonymous_draft(client, app):
    draft_id, _ = start(client, BIRTH)
    user_id = sign_in(app, client, "13800000003")
    assert client.get(f"/drafts/{draft_id}/child").status_code == 200
    assert app.state.store.drafts.get(draft_id).owner_id == user_id


def test_resume_link_is_single_use(client, other_client, app):
    draft_id, _ = start(client, BIRTH)
    client.post(f"/drafts/{draft_id}/child", data=with_markers(BIRTH_PAGES["child"]))
    page = client.post(f"/drafts/{draft_id}/save")
    assert "继续填写链接已生成" in page.text
    link = page.text.split('<p class="yj-resume-link"><a href="')[1].split('"')[0]
    path = "/" + link.split("/", 3)[3]
    r = other_client.get(path, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == f"/drafts/{draft_id}"
    assert other_client.get(r.headers["location"]).status_code == 200
    assert 'value="李小安"' in other_client.get(f"/drafts/{draft_id}/child").text
    used = other_client.get(path)
    assert used.status_code == 410 and "链接已失效" in used.text


def test_expired_resume_link_shows_a_clear_page(client, app, monkeypatch):
    draft_id, _ = start(client, BIRTH)
    token = app.state.store.drafts.resume_token(draft_id, ttl_hours=1)
    db = app.state.store.db
    later = db.clock() + timedelta(hours=2)
    monkeypatch.setattr(db, "clock", lambda: later)
    r = client.get(f"/resume/{token}")
    assert r.status_code == 410 and "已经用过、已过期" in r.text
    assert client.get("/resume/" + "x" * 300).status_code == 410


def test_save_page_for_signed_in_citizen(client, app):
    sign_in(app, client, "13800000004")
    draft_id, _ = start(client, BIRTH)
    r = client.post(f"/drafts/{draft_id}/child", data={"_action": "save"}, follow_redirects=True)
    assert "申请已保存到您的账户" in r.text


@pytest.mark.parametrize("header", [{"sec-fetch-site": "cross-site"}])
def test_cross_site_change_is_refused_before_saving(client, app, header):
    draft_id, _ = start(client, BIRTH)
    r = client.post(
        f"/drafts/{draft_id}/child/change?field=child.name",
        data={"child.name": "恶意"},
        headers={**HTMX, **header},
    )
    assert r.status_code == 403
    assert "child" not in app.state.store.drafts.get(draft_id).answers


def test_a_restart_keeps_the_draft_on_its_version(client, app, web_root, tmp_path):
    """After a restart with changed definitions the draft still opens on the version it started
    on, rebuilt from the store's archive: no move, no notice, the old wording."""
    from webtools import SAME_ORIGIN, TestClient

    from yijian.web import create_app

    draft_id, _ = start(client, BIRTH)
    old = app.state.store.drafts.get(draft_id).version
    form = web_root / "matters" / BIRTH / "form.yaml"
    text = form.read_text(encoding="utf-8")
    form.write_text(text.replace("label: 新生儿姓名", "label: 新生儿的姓名"), encoding="utf-8")
    app.state.store.close()
    restarted = create_app(app.state.settings)  # the same site (and database) again
    assert restarted.state.registry.current.matter(BIRTH).version != old
    with TestClient(restarted, headers=SAME_ORIGIN) as again:
        again.cookies.update(client.cookies)
        page = again.get(f"/drafts/{draft_id}/child")
        assert page.status_code == 200
        assert "申请表在您填写期间有更新" not in page.text
        assert "新生儿姓名" in page.text and "新生儿的姓名" not in page.text
        assert restarted.state.store.drafts.get(draft_id).version == old


def test_draft_moves_to_the_current_version_with_a_statement(client, app, web_root):
    draft_id, _ = start(client, BIRTH)
    registry = app.state.registry
    form = web_root / "matters" / BIRTH / "form.yaml"
    text = form.read_text(encoding="utf-8")
    form.write_text(text.replace("label: 新生儿姓名", "label: 新生儿的姓名"), encoding="utf-8")
    assert registry.load() is not None
    registry._versions.clear()  # as after a restart: the pinned version is gone
    registry._versions.update({(m.id, m.version): m for m in registry.current.matters.values()})
    registry.archive = None  # …and not in the archive either (e.g. started before archiving)
    page = client.get(f"/drafts/{draft_id}/child")
    assert page.status_code == 200
    assert "申请表在您填写期间有更新" in page.text and "“新生儿姓名”改为“新生儿的姓名”" in page.text
    assert app.state.store.drafts.get(draft_id).version == registry.current.matter(BIRTH).version
    assert "申请表在您填写期间有更新" not in client.get(f"/drafts/{draft_id}/child").text
