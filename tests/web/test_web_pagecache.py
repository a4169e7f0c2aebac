"""The form page cache (``templating.PageCache``, issue 14): a page drawn once is served again
only for exactly what it was drawn from — the same definitions, theme, page and answers —
with the draft's own id, and never carries one citizen's values to another."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from webtools import BIRTH, HTMX, SAME_ORIGIN, TestClient, start, with_markers


def _cache(app: Any) -> Any:
    cache = app.state.templates.page_cache
    assert cache is not None
    return cache


def test_new_drafts_share_the_first_page_with_their_own_ids(client, other_client, app):
    a, url_a = start(client, BIRTH)
    first = client.get(url_a)
    assert first.status_code == 200
    hits = _cache(app).hits
    b, url_b = start(other_client, BIRTH)
    second = other_client.get(url_b)
    assert second.status_code == 200
    assert _cache(app).hits == hits + 1  # the same page: drawn once
    assert a not in second.text and b in second.text
    assert second.text == first.text.replace(a, b)
    assert "\x00" not in second.text


def test_one_drafts_answers_never_reach_another(client, other_client, app):
    _, url_a = start(client, BIRTH)
    _, url_b = start(other_client, BIRTH)
    client.get(url_a), other_client.get(url_b)  # both cached as new drafts
    typed = {"child.name": "欧阳娜娜", "_action": "stay"}
    assert client.post(url_a, data=with_markers(typed)).status_code == 200
    assert "欧阳娜娜" in client.get(url_a).text
    assert "欧阳娜娜" not in other_client.get(url_b).text
    # an htmx answer changes the stored answers: the page is drawn for the new ones
    r = client.post(f"{url_a}/change?field=child.name", data={"child.name": "欧阳明"}, headers=HTMX)
    assert r.status_code == 200
    page = client.get(url_a).text
    assert "欧阳明" in page and "欧阳娜娜" not in page
    assert "欧阳" not in other_client.get(url_b).text
    # the other browser cannot read the page by its id either
    assert other_client.get(url_a).status_code == 404


def test_a_reload_of_the_definitions_redraws_the_page(client, app, web_root: Path):
    _, url = start(client, BIRTH)
    assert "请按助产机构的分娩记录填写新生儿信息。" in client.get(url).text
    form = web_root / "matters" / BIRTH / "form.yaml"
    text = form.read_text(encoding="utf-8")  # the intro only: the stored answers stay the same
    form.write_text(text.replace("请按助产机构的分娩记录", "请按医院的分娩记录"), encoding="utf-8")
    assert app.state.registry.load() is not None
    _, url2 = start(client, BIRTH)
    page = client.get(url2).text
    assert "请按医院的分娩记录填写新生儿信息。" in page
    assert "请按助产机构的分娩记录" not in page


def test_each_theme_has_its_own_page(app):
    with (
        TestClient(app, headers=SAME_ORIGIN) as plain,
        TestClient(app, headers=SAME_ORIGIN) as elder,
    ):
        elder.cookies.set("yj_theme", "elder")
        _, url = start(plain, BIRTH)
        assert 'class="yj-theme-default' in plain.get(url).text
        _, url2 = start(elder, BIRTH)
        assert url2.endswith("/child?q=0")  # the elder theme: one question per screen
        plain_q = plain.get(url + "?q=0").text  # the same query and answers, drawn first
        elder_q = elder.get(url2).text
        assert "yj-theme-elder" in elder_q and "yj-theme-elder" not in plain_q
