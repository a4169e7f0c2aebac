"""Admin status: the snapshot served and the errors of a broken change (old snapshot kept)."""

from __future__ import annotations

from webtools import BIRTH


def test_status_page(client, app):
    r = client.get("/admin/status")
    assert r.status_code == 200
    assert app.state.registry.current.version in r.text
    assert "3 个事项，0 个一件事" in r.text and "没有错误" in r.text and "127.0.0.1" in r.text


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
