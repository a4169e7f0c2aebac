"""A page post writes its draft once (issue 14, item 3).

Before: a 继续 saved the typed answers (``saving.save_post``) and then saved them again with the
page it led to (``forms._judge_page``): two encodings and two writes of the whole draft, for a
200-field draft most of what the post cost beyond the small form's. Now a plain 继续 of a page
without a file field is saved once, after its evaluation, with the page the draft is then at.
The store's real ``Drafts.save`` is counted (it still runs).
"""

from __future__ import annotations

from typing import Any

import pytest
from starlette.applications import Starlette
from webtools import BIRTH, BIRTH_PAGES, start, with_markers


@pytest.fixture
def saves(app: Starlette, monkeypatch: pytest.MonkeyPatch) -> list[str | None]:
    """The page of every ``Drafts.save`` the app makes, in order."""
    drafts = app.state.store.drafts
    real = drafts.save
    pages: list[str | None] = []

    def counted(draft_id: str, answers: dict[str, Any], page: str | None, *a: Any, **kw: Any):
        pages.append(page)
        return real(draft_id, answers, page, *a, **kw)

    monkeypatch.setattr(drafts, "save", counted)
    return pages


def test_a_page_post_that_goes_on_saves_once_at_the_next_page(client, app, saves):
    draft_id, _ = start(client, BIRTH)
    saves.clear()  # starting saves the draft at its first page
    r = client.post(
        f"/drafts/{draft_id}/child", data=with_markers(BIRTH_PAGES["child"]), follow_redirects=False
    )
    assert r.status_code == 303 and r.headers["location"].endswith("/parents"), r.text[:300]
    assert saves == ["parents"]
    stored = app.state.store.drafts.get(draft_id)
    assert stored.page == "parents" and stored.answers["child"]["hospital"] == "中山市博爱医院"
    assert client.get(r.headers["location"]).status_code == 200  # the next page draws


def test_a_page_post_with_errors_saves_once_at_its_own_page(client, app, saves):
    draft_id, _ = start(client, BIRTH)
    saves.clear()  # starting saves the draft at its first page
    typed = {k: v for k, v in BIRTH_PAGES["child"].items() if k != "child.name"}
    r = client.post(f"/drafts/{draft_id}/child", data=with_markers(typed, ("child.name",)))
    assert r.status_code == 200 and "请填写" in r.text, r.text[:300]
    assert saves == ["child"]
    stored = app.state.store.drafts.get(draft_id)
    assert stored.page == "child" and stored.answers["child"]["hospital"] == "中山市博爱医院"


def test_an_in_page_action_still_saves_before_anything_else(client, app, saves):
    draft_id, _ = start(client, BIRTH)
    saves.clear()  # starting saves the draft at its first page
    data = {**with_markers(BIRTH_PAGES["child"]), "_action": "save"}
    r = client.post(f"/drafts/{draft_id}/child", data=data, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].endswith("/save")
    assert saves == ["child"]
    assert app.state.store.drafts.get(draft_id).answers["child"]["name"] == "李小安"
