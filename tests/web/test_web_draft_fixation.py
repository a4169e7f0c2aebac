"""Draft fixation and bearer draft ids (issue 13, item 3), replayed as an attacker would.

The id of an anonymous draft is in every URL; before the fix it was also the whole key (the
``yj_drafts`` cookie listed ids), so a planted resume link, a leaked id or a hand-set cookie
opened someone else's draft. Now the draft opens only with its HttpOnly secret, which a
redeemed resume link rotates.
"""

from __future__ import annotations

from webtools import BIRTH, BIRTH_PAGES, TestClient, start, with_markers

from yijian.web.auth import COOKIE
from yijian.web.draftcookie import DRAFT_COOKIE

VICTIM_TYPES = {**BIRTH_PAGES["child"], "child.name": "王受害"}


def browser(app) -> TestClient:
    """Another browser on the running app (no ``with``: the app's lifespan is the fixture's)."""
    return TestClient(app, headers={"sec-fetch-site": "same-origin"})


def resume_links(client: TestClient, draft_id: str, n: int) -> list[str]:
    paths = []
    for _ in range(n):
        page = client.post(f"/drafts/{draft_id}/save")
        link = page.text.split('<p class="yj-resume-link"><a href="')[1].split('"')[0]
        paths.append("/" + link.split("/", 3)[3])
    return paths


def test_a_planted_resume_link_leaves_the_attacker_nothing(client, other_client, app):
    attacker, victim = client, other_client
    draft_id, _ = start(attacker, BIRTH)
    planted, kept = resume_links(attacker, draft_id, 2)
    # the victim follows the link from another site (a GET: allowed cross-site) and types
    r = victim.get(planted, headers={"sec-fetch-site": "cross-site"}, follow_redirects=False)
    assert r.status_code == 303
    victim.post(f"/drafts/{draft_id}/child", data=with_markers(VICTIM_TYPES))
    assert app.state.store.drafts.get(draft_id).answers["child"]["name"] == "王受害"
    # the attacker's own cookie no longer opens the draft ...
    for url in (f"/drafts/{draft_id}/child", f"/drafts/{draft_id}/review"):
        seen = attacker.get(url, follow_redirects=False)
        assert seen.status_code == 404 and "王受害" not in seen.text
    # ... nor does the second link kept back
    assert attacker.get(kept).status_code == 410
    # the victim goes on undisturbed
    assert 'value="王受害"' in victim.get(f"/drafts/{draft_id}/child").text


def test_a_draft_id_alone_opens_nothing(client, app):
    draft_id, _ = start(client, BIRTH)
    client.post(f"/drafts/{draft_id}/child", data=with_markers(VICTIM_TYPES))
    for forged in (draft_id, f"{draft_id}~{'A' * 43}", f"{draft_id}~"):
        thief = browser(app)  # a fresh cookie jar each time
        thief.cookies.set(DRAFT_COOKIE, forged)
        r = thief.get(f"/drafts/{draft_id}/child", follow_redirects=False)
        assert r.status_code == 404 and "王受害" not in r.text, forged


def test_signing_in_with_a_hand_set_cookie_claims_nothing(client, app):
    draft_id, _ = start(client, BIRTH)
    store = app.state.store
    user = store.users.create("13800000077", "x", "盗用者")
    thief = browser(app)
    thief.cookies.set(COOKIE, store.sessions.create(user.id))
    thief.cookies.set(DRAFT_COOKIE, draft_id)
    assert thief.get(f"/drafts/{draft_id}/child").status_code == 404
    assert store.drafts.get(draft_id).owner_id is None
    # the browser that holds the secret still may
    assert client.get(f"/drafts/{draft_id}/child").status_code == 200


def test_the_secret_is_httponly_and_never_in_a_url(client, app):
    r = client.post(f"/apply/{BIRTH}", follow_redirects=False)
    draft_id = r.headers["location"].split("/")[2]
    header = r.headers["set-cookie"]
    assert header.startswith(f"{DRAFT_COOKIE}=") and "HttpOnly" in header
    secret = client.cookies[DRAFT_COOKIE].split(".")[-1].split("~")[1]
    assert len(secret) >= 40 and secret not in r.headers["location"]
    for page in (f"/drafts/{draft_id}/child", f"/drafts/{draft_id}/save"):
        assert secret not in client.get(page).text
    stored = app.state.store.db.conn().execute("SELECT secret_hash FROM drafts").fetchone()[0]
    assert stored and secret not in stored


def test_a_draft_id_alone_opens_neither_the_case_nor_its_receipt(client, app):
    draft_id, _ = start(client, BIRTH)
    for name, values in BIRTH_PAGES.items():
        client.post(f"/drafts/{draft_id}/{name}", data=with_markers(values))
    client.post(f"/drafts/{draft_id}/submit")
    case_no = app.state.store.drafts.get(draft_id).case_no
    assert case_no and client.get(f"/cases/{case_no}").status_code == 200
    thief = browser(app)
    thief.cookies.set(DRAFT_COOKIE, draft_id)  # the id from a URL or a log line
    for url in (f"/cases/{case_no}", f"/cases/{case_no}/receipt.pdf", f"/drafts/{draft_id}"):
        assert thief.get(url, follow_redirects=False).status_code == 404, url
