"""Every decision explained, over HTTP: the citizen's banner and review page say which condition
failed with the citizen's own answer and link to the question; the staff case page adds the
rule id and the definition's file:line (issue 12)."""

from __future__ import annotations

import copy
import re

from argon2 import PasswordHasher
from starlette.applications import Starlette
from test_web_window import _signed_in, _staff
from webtools import BIRTH, BIRTH_PAGES, TestClient, start, with_markers

from yijian.store.passwords import Passwords

HTMX = {"HX-Request": "true"}
#: R1 of birth-medical-certificate, explained
WHY = "新生儿是否已签发过出生医学证明须为“否”，您填写的是“是”"
LINK = 'href="child?at=child.has_certificate#f-child-has_certificate"'


def _filled(client: TestClient, certificate: str = "false") -> str:
    draft_id, _ = start(client, BIRTH)
    for name, values in BIRTH_PAGES.items():
        values = {**values, "child.has_certificate": certificate} if name == "child" else values
        client.post(f"/drafts/{draft_id}/{name}", data=with_markers(values))
    return draft_id


def test_the_live_banner_says_why_with_the_answer_and_links_to_the_question(
    client: TestClient,
) -> None:
    draft_id, _ = start(client, BIRTH)
    r = client.post(
        f"/drafts/{draft_id}/child/change?field=child.has_certificate",
        data={"child.has_certificate": "true"},
        headers=HTMX,
    )
    banner = r.text[r.text.index('id="eligibility"') :]
    assert "首次签发不能重复办理" in banner  # the author's message stays
    assert WHY in banner and LINK in banner and "第 1 页 新生儿是否已签发过出生医学证明" in banner
    page = client.get(f"/drafts/{draft_id}/child").text
    assert WHY in page and LINK in page  # the full page draws the same banner


def test_the_refused_review_page_explains_and_links_back(client: TestClient) -> None:
    draft_id = _filled(client, certificate="true")
    review = client.get(f"/drafts/{draft_id}/review").text
    assert WHY in review and LINK in review
    r = client.post(f"/drafts/{draft_id}/submit", follow_redirects=False)
    assert r.status_code == 422 and WHY in r.text and LINK in r.text
    # the relative link resolves to the question's page of this draft
    assert client.get(f"/drafts/{draft_id}/child").status_code == 200


def test_in_the_elder_theme_the_link_opens_the_screen_of_its_question(client: TestClient) -> None:
    draft_id, _ = start(client, BIRTH)
    client.cookies.set("yj_theme", "elder")
    r = client.get(f"/drafts/{draft_id}/child?at=child.has_certificate", follow_redirects=False)
    assert r.status_code == 303 and re.search(r"/child\?q=\d+$", r.headers["location"])
    screen = client.get(r.headers["location"]).text
    assert 'name="child.has_certificate"' in screen
    assert 'name="child.name"' not in screen  # one question per screen: that one


def test_nothing_is_explained_when_the_rules_pass(client: TestClient) -> None:
    draft_id = _filled(client)
    assert 'class="yj-why"' not in client.get(f"/drafts/{draft_id}/review").text


def test_a_changed_answer_redraws_the_explanation_even_if_the_rule_still_fails(
    client: TestClient,
) -> None:
    draft_id, _ = start(client, BIRTH)
    url = f"/drafts/{draft_id}/child/change?field=child.has_certificate"
    client.post(url, data={"child.has_certificate": "true"}, headers=HTMX)
    again = client.post(url, data={"child.has_certificate": "true"}, headers=HTMX)
    assert 'id="eligibility"' not in again.text  # nothing changed: the banner is not resent


def _refused_case(app: Starlette, client: TestClient) -> str:
    """A submitted case whose rule R1 fails when the staff re-evaluate it."""
    draft = app.state.store.drafts.get(_filled(client))
    answers = copy.deepcopy(draft.answers)
    answers["child"]["has_certificate"] = True
    summary = {"matter_name": "出生医学证明首次签发"}
    return app.state.store.cases.submit(draft, answers, summary, "442000").case_no


def _explained_for_staff(page: str) -> None:
    assert "首次签发不能重复办理" in page and "<code>R1</code>" in page
    site = re.search(r"matters/birth-medical-certificate/rules\.yaml:(\d+): eligibility\[0\]", page)
    assert site is not None
    assert WHY in page and "第 1 页 新生儿是否已签发过出生医学证明" in page
    assert LINK not in page  # staff read the places; the citizen's links are not theirs


def test_the_clerk_and_the_reviewer_see_the_rule_its_definition_and_why(
    app: Starlette, client: TestClient
) -> None:
    app.state.passwords = Passwords(PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
    _staff(app, "wang", "clerk", "442000")
    _staff(app, "li", "reviewer", "442000", "助产机构")
    case_no = _refused_case(app, client)
    clerk, reviewer = _signed_in(app, "wang"), _signed_in(app, "li")
    try:
        _explained_for_staff(clerk.get(f"/staff/cases/{case_no}").text)
        accepted = clerk.post(f"/staff/cases/{case_no}/accept", follow_redirects=False)
        assert accepted.status_code == 303
        task = reviewer.get(f"/staff/tasks/{case_no}/-/issue")
        assert task.status_code == 200
        _explained_for_staff(task.text)
    finally:
        clerk.close()
        reviewer.close()


def test_a_bundle_banner_explains_each_member_that_does_not_qualify() -> None:
    from datetime import date

    from explaincases import SNAP
    from yijian.runtime.evaluate import Context, evaluate
    from yijian.web.citizen.pages import banner

    m = SNAP.matters["newborn-bundle"]
    answers = {
        "child": {"has_certificate": True, "hospital_certified": True},
        "bundle": {"include": [x.id for x in m.members]},
    }
    b = banner(evaluate(m, answers, Context(date(2025, 3, 1))), m)
    assert b is not None
    rows = {row["name"]: row for row in b["members"]}
    row = next(r for r in rows.values() if any("首次签发" in t for t in r["messages"]))
    (why,) = row["why"]
    assert why[0]["text"].startswith("新生儿是否已签发过出生医学证明须为“否”")
    assert why[0]["cites"][0]["href"].endswith("#f-child-has_certificate")
