"""我的办件's 继续填写 opens where the citizen stopped (issue 15, item 10): the page after the
last one they finished, not page 1 and not the page they already passed."""

from __future__ import annotations

import re

from webtools import BIRTH, BIRTH_PAGES, sign_up, start, with_markers


def _continue_href(client, draft_id: str) -> str:
    html = client.get("/my").text
    hrefs = re.findall(rf'href="(/drafts/{draft_id}[^"]*)">继续填写', html)
    assert len(hrefs) == 1, html
    return hrefs[0]


def test_continue_opens_the_next_page_to_fill(client) -> None:
    sign_up(client, "王芳", "13800138001", "correct horse battery staple")
    draft_id, first = start(client, BIRTH)
    assert _continue_href(client, draft_id) == first  # nothing answered yet: page 1
    r = client.post(
        f"/drafts/{draft_id}/child", data=with_markers(BIRTH_PAGES["child"]), follow_redirects=False
    )
    assert r.headers["location"] == f"/drafts/{draft_id}/parents"
    assert _continue_href(client, draft_id) == f"/drafts/{draft_id}/parents"
    # a page with errors keeps them on that page
    bad = {**BIRTH_PAGES["parents"], "mother.id_number": "110105194912310021"}
    r = client.post(f"/drafts/{draft_id}/parents", data=with_markers(bad), follow_redirects=False)
    assert r.status_code == 200
    assert _continue_href(client, draft_id) == f"/drafts/{draft_id}/parents"
    client.post(
        f"/drafts/{draft_id}/parents",
        data=with_markers(BIRTH_PAGES["parents"]),
        follow_redirects=False,
    )
    assert _continue_href(client, draft_id) == f"/drafts/{draft_id}/declaration"
