"""No dead ends (issue 15, item 3): an application the rules refuse says so at the page whose
answer refused it, with what the person can do instead, with and without JavaScript.

Before, a refused 新生儿出生一件事 (出生医学证明 already issued, or a birth over a year ago) was
filled through every page to a review page without a submit button and without a next step.
Now "继续" on the page that settles the refusal leads to ``/drafts/<id>/_cannot-apply``: why
(each refusing rule's message and the answers behind it, linked to their questions), the members
that remain to apply for singly (their guides), the county's hotline and a way to change the
answer. With JavaScript the live banner says the same the moment the answer is given. A member
that drops out of a ``partial`` bundle is said to drop out, and the rest are submitted.

The root's 出生医学证明 carries one more rule for these tests, R9 (父亲姓名 must be 李明 or 王强),
without ``applies_if``: it fails while 父亲姓名 is still unanswered, on a page after the child's,
which must not stop anyone before they reach that page.
"""

from __future__ import annotations

import re
import shutil
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from starlette.applications import Starlette
from test_web_bundles import (
    BUNDLES,
    NEWBORN,
    PARTIAL,
    R1_MESSAGE,
    _members,
    assert_case,
    fill,
    member_rows,
    newborn_answers,
    read_form,
    start_bundle,
    submit,
)
from webtools import BIRTH_PAGES, HTMX, REPO, TestClient, start, with_markers

from yijian.web import Settings, create_app

BMC = "birth-medical-certificate"
CHILD_PAGE = f"{BMC}.child"  # where 新生儿是否已签发过出生医学证明 is asked
CANNOT = "/_cannot-apply"
R3_MESSAGE = "新生儿已超过“出生一件事”的办理月龄，请分别申请出生登记、医保参保等单项事项。"
R9_MESSAGE = "测试规则：父亲姓名须为李明或王强。"
R9 = f"""
  - id: R9
    name: 测试：父亲姓名
    when: {{"in": [{{"var": "father.name"}}, ["李明", "王强"]]}}
    message: {R9_MESSAGE}
"""
#: the members a refused newborn application may still apply for singly (R1 refuses 出生医学证明)
SINGLY = [
    ("/matters/vaccination-certificate", "预防接种证办理"),
    ("/matters/birth-registration", "出生登记（户口）"),
    ("/matters/resident-medical-insurance", "城乡居民基本医疗保险参保登记（新生儿）"),
    ("/matters/social-security-card", "社会保障卡申领（新生儿）"),
]
DROPS_OUT = "本次申请不办理此项"


@pytest.fixture
def web_root(tmp_path: Path) -> Path:
    """The bundles and their members (as test_web_bundles), 出生医学证明 with R9 added."""
    root = tmp_path / "root"
    for name in {*BUNDLES, *(m for b in BUNDLES for m in _members(b))}:
        shutil.copytree(REPO / "matters" / name, root / "matters" / name)
    for name in ("forms", "rules", "themes"):
        shutil.copytree(REPO / name, root / name, ignore=PARTIAL)
    rules = root / "matters" / BMC / "rules.yaml"
    rules.write_text(rules.read_text(encoding="utf-8") + R9, encoding="utf-8")
    return root


def go(
    client: TestClient, url: str, answers: dict[str, Any], regions: Any, until: str = ""
) -> tuple[list[str], str]:
    """Fill page after page (no JavaScript) until the review page, the cannot-apply page or
    the page ``until``; returns the pages posted and where it ended."""
    seen: list[str] = []
    while not url.endswith("/review") and CANNOT not in url:
        draft_id, page_id = url.split("?")[0].split("/")[2:4]
        if page_id == until:
            break
        assert page_id not in seen, f"page {page_id} came back: {seen}"
        seen.append(page_id)
        r = client.get(url)
        assert r.status_code == 200, (url, r.status_code)
        action = f"/drafts/{draft_id}/{page_id}"
        for _ in range(6):  # a region's next level, a question the post revealed
            data, refresh = fill(read_form(r.text, action), answers, regions)
            data["_action"] = "refresh" if refresh else "continue"
            r = client.post(action, data=data, follow_redirects=False)
            if r.status_code != 200:
                break
        assert r.status_code == 303, (page_id, r.text[:2000])
        url = r.headers["location"]
    return seen, url


def text(html: str) -> str:
    return re.sub(r"\s+", "", re.sub(r"<[^>]+>", "", html))


def main(html: str) -> str:
    found = re.search(r"<main.*?</main>", html, re.S)
    assert found
    return found.group(0)


def singly(html: str) -> list[tuple[str, str]]:
    """The guides offered to apply for singly (the 您可以 block's list)."""
    box = re.search(r'<ul class="yj-list yj-instead__matters">(.*?)</ul>', html, re.S)
    return re.findall(r'<a class="yj-link" href="([^"]+)">([^<]+)</a>', box.group(1)) if box else []


def refused_at_child_page(client: TestClient, app: Starlette) -> tuple[str, list[str], str]:
    answers, _ = newborn_answers()
    answers["child.has_certificate"] = True  # R1 of the required 出生医学证明 fails
    draft_id, first = start_bundle(client, NEWBORN)
    seen, url = go(client, first, answers, app.state.regions)
    return draft_id, seen, url


# ---------------------------------------------------------------------------- without JavaScript


def test_the_page_that_refuses_leads_to_why_and_what_to_do_instead(
    app: Starlette, client: TestClient
) -> None:
    draft_id, seen, url = refused_at_child_page(client, app)
    # stopped at the page where R1 was answered: no page after it was asked
    assert seen[-1] == CHILD_PAGE and f"{BMC}.child" in seen
    assert not any(p.startswith(("vaccination", "birth-registration", "shared-decl")) for p in seen)
    assert url == f"/drafts/{draft_id}{CANNOT}?from={CHILD_PAGE}"
    r = client.get(url)
    assert r.status_code == 200 and r.headers["cache-control"] == "no-store"
    body = main(r.text)
    assert '<h1 class="yj-heading-l">您不能通过“新生儿出生一件事”一并办理</h1>' in body
    assert "<title>您不能通过“新生儿出生一件事”一并办理 · " in r.text
    # why: the member and its rule's own words, the answer behind it linking to its question
    assert "出生医学证明首次签发</strong>：" + R1_MESSAGE in body
    question = f'href="{CHILD_PAGE}?at=child.has_certificate#f-child-has_certificate"'
    assert "您填写的是“是”" in body and question in body
    # what to do instead: change the answer, the members that remain (singly), the hotline
    assert '<h2 class="yj-heading-m">您可以</h2>' in body
    assert singly(body) == SINGLY
    for href, name in SINGLY:  # each leads to its guide, whose button starts it singly
        guide = client.get(href)
        assert guide.status_code == 200 and name in guide.text
    assert 'href="tel:12345">12345</a>' in body
    assert re.search(re.escape(f'<a {question} role="button"') + "[^>]*>修改回答</a>", body)
    assert "您已填写的内容都已保存" in body


def test_a_bundle_rule_stops_at_its_own_page_and_offers_every_member(
    app: Starlette, client: TestClient
) -> None:
    """A birth over a year ago (the bundle's R3): known on the child's page already."""
    answers, _ = newborn_answers()
    answers["child.birth_datetime"] = f"{date.today() - timedelta(days=400)}T08:30"
    draft_id, first = start_bundle(client, NEWBORN)
    seen, url = go(client, first, answers, app.state.regions)
    assert seen == ["situation", "bundle-optional", "shared-child"]
    assert url.startswith(f"/drafts/{draft_id}{CANNOT}")
    body = main(client.get(url).text)
    assert R3_MESSAGE in body
    assert singly(body) == [(f"/matters/{BMC}", "出生医学证明首次签发"), *SINGLY]


def test_a_refusal_waiting_on_a_later_question_stops_only_once_it_is_answered(
    app: Starlette, client: TestClient
) -> None:
    """R9 fails while 父亲姓名 is empty: the pages before it go on; its own page stops."""
    answers, _ = newborn_answers()
    answers["father.name"] = "张三"
    draft_id, first = start_bundle(client, NEWBORN)
    seen, url = go(client, first, answers, app.state.regions)
    assert seen == ["situation", "bundle-optional", "shared-child", "shared-parents"]
    assert url == f"/drafts/{draft_id}{CANNOT}?from=shared-parents"
    assert R9_MESSAGE in main(client.get(url).text)


def test_no_page_goes_on_and_the_review_says_why_it_cannot_be_submitted(
    app: Starlette, client: TestClient
) -> None:
    draft_id, _, _ = refused_at_child_page(client, app)
    # a later page opened by its address: its 继续 leads to the same notice
    page = f"/drafts/{draft_id}/vaccination-certificate.vaccination"
    data, _ = fill(read_form(client.get(page).text, page), {}, app.state.regions)
    r = client.post(page, data={**data, "_action": "continue"}, follow_redirects=False)
    assert r.status_code == 303 and CANNOT in r.headers["location"]
    # the review page: no submit button, but why and what to do
    review = client.get(f"/drafts/{draft_id}/review")
    assert review.status_code == 200
    assert f'action="/drafts/{draft_id}/submit"' not in review.text
    assert "这份申请不能提交" in review.text
    assert singly(review.text) == SINGLY and 'href="tel:12345"' in review.text
    # posted anyway: refused (422) with the same, although pages are still unfilled
    r = client.post(f"/drafts/{draft_id}/submit", follow_redirects=False)
    assert r.status_code == 422 and "申请未提交" in r.text
    assert singly(r.text) == SINGLY and 'href="tel:12345"' in r.text
    assert app.state.store.drafts.get(draft_id).status == "open"


def test_a_changed_answer_goes_on(app: Starlette, client: TestClient) -> None:
    draft_id, _, url = refused_at_child_page(client, app)
    answers, _ = newborn_answers()  # 出生医学证明 not issued after all
    page = f"/drafts/{draft_id}/{CHILD_PAGE}"
    data, _ = fill(read_form(client.get(page).text, page), answers, app.state.regions)
    r = client.post(page, data={**data, "_action": "continue"}, follow_redirects=False)
    assert r.status_code == 303
    assert r.headers["location"] == f"/drafts/{draft_id}/vaccination-certificate.vaccination"
    # the notice is gone: its address leads back into the form
    r = client.get(url, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == f"/drafts/{draft_id}"


def test_hotline_is_the_sites(web_root: Path, tmp_path: Path) -> None:
    """site.yaml ``hotline`` (Settings.hotline): the notice gives the county's number."""
    settings = Settings(root=web_root, db_path=tmp_path / "h" / "y.db", hotline="0760-88812345")
    with TestClient(create_app(settings), headers={"sec-fetch-site": "same-origin"}) as client:
        app: Any = client.app
        _, _, url = refused_at_child_page(client, app)
        body = main(client.get(url).text)
    assert 'href="tel:0760-88812345">0760-88812345</a>' in body and "12345</a>" in body


# ---------------------------------------------------------------------------- with JavaScript


def test_with_htmx_the_answer_that_refuses_brings_the_notice_at_once(
    app: Starlette, client: TestClient
) -> None:
    answers, _ = newborn_answers()
    draft_id, first = start_bundle(client, NEWBORN)
    _, url = go(client, first, answers, app.state.regions, until=CHILD_PAGE)
    assert url.endswith(CHILD_PAGE)
    change = f"/drafts/{draft_id}/{CHILD_PAGE}/change?field=child.has_certificate"
    r = client.post(change, data={"child.has_certificate": "true"}, headers=HTMX)
    assert r.status_code == 200 and "<html" not in r.text
    banner = re.search(r'<div id="eligibility" hx-swap-oob="innerHTML">.*', r.text, re.S)
    assert banner, r.text
    said = banner.group(0)
    assert "暂不符合申请条件" in said and R1_MESSAGE in said
    assert "您可以：" in said and singly(said) == SINGLY and 'href="tel:12345"' in said
    # the answer taken back: the notice goes with it
    r = client.post(change, data={"child.has_certificate": "false"}, headers=HTMX)
    assert "您可以" not in r.text and "您将一并办理以下事项" in r.text
    # answered again, 继续 (a plain post, JavaScript or not) leads to the notice page
    client.post(change, data={"child.has_certificate": "true"}, headers=HTMX)
    page = f"/drafts/{draft_id}/{CHILD_PAGE}"
    answers["child.has_certificate"] = True
    data, _ = fill(read_form(client.get(page).text, page), answers, app.state.regions)
    r = client.post(page, data={**data, "_action": "continue"}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith(f"/drafts/{draft_id}{CANNOT}")


# ---------------------------------------------------------------------------- 长辈版


def test_elder_screen_that_refuses_leads_to_the_notice(app: Starlette, client: TestClient) -> None:
    """One question per screen: the answer to 已签发过出生医学证明 is the screen that stops."""
    answers, _ = newborn_answers()
    draft_id, first = start_bundle(client, NEWBORN)
    go(client, first, answers, app.state.regions, until=CHILD_PAGE)
    client.cookies.set("yj_theme", "elder")
    page = f"/drafts/{draft_id}/{CHILD_PAGE}"
    r = client.get(f"{page}?at=child.has_certificate", follow_redirects=False)
    assert r.status_code == 303
    q = int(r.headers["location"].split("q=")[1].split("&")[0])
    data = {"child.has_certificate": "true", "_q": "child.has_certificate"}
    r = client.post(f"{page}?q={q}", data={**data, "_f": "child.has_certificate"},
                    follow_redirects=False)  # fmt: skip
    assert r.status_code == 303
    assert r.headers["location"] == f"/drafts/{draft_id}{CANNOT}?from={CHILD_PAGE}"
    notice = client.get(r.headers["location"])
    assert notice.status_code == 200 and 'href="/static/elder.css"' in notice.text
    assert singly(main(notice.text)) == SINGLY


# ---------------------------------------------------------------------------- partial


def test_a_member_that_drops_out_is_said_to_and_the_rest_are_submitted(
    app: Starlette, client: TestClient
) -> None:
    """生育医疗费用报销 ticked without a bank card (R7, the bundle is ``partial``): the person
    goes on, told on the next page that it drops out and why; the others become the case."""
    answers, expect = newborn_answers("8 勾选生育医疗费用报销但未填银行卡")
    draft_id, first = start_bundle(client, NEWBORN)
    seen, url = go(client, first, answers, app.state.regions)
    assert url == f"/drafts/{draft_id}/review" and "shared-declaration" in seen
    after_ticking = client.get(f"/drafts/{draft_id}/{seen[seen.index('bundle-optional') + 1]}")
    for html in (after_ticking.text, client.get(url).text):
        ok, reasons = member_rows(html)["生育医疗费用报销"]
        assert not ok and any("I 类银行卡" in x for x in reasons)
        row = html.split('__name">生育医疗费用报销<')[1].split("yj-member-status__item")[0]
        assert DROPS_OUT in row and html.count(DROPS_OUT) == 1
        assert "部分事项暂不符合条件，其余事项可以继续办理" in html and "yj-instead" not in html
    review = client.get(url).text
    assert f'action="/drafts/{draft_id}/submit"' in review
    case_no = submit(client, draft_id)
    assert_case(app, NEWBORN, case_no, expect["matters"])
    assert "maternity-medical-reimbursement" not in expect["matters"]


# ---------------------------------------------------------------------------- a single matter


def test_a_single_matter_says_it_too_without_members_to_offer(
    app: Starlette, client: TestClient
) -> None:
    draft_id, _ = start(client, BMC)
    page = f"/drafts/{draft_id}/child"
    values = {**BIRTH_PAGES["child"], "child.has_certificate": "true"}
    r = client.post(page, data={**with_markers(values), "_action": "continue"},
                    follow_redirects=False)  # fmt: skip
    assert (
        r.status_code == 303 and r.headers["location"] == f"/drafts/{draft_id}{CANNOT}?from=child"
    )
    body = main(client.get(r.headers["location"]).text)
    assert '<h1 class="yj-heading-l">您不能申请“出生医学证明首次签发”</h1>' in body
    assert R1_MESSAGE in body and "yj-instead__matters" not in body
    assert 'href="tel:12345"' in body and "修改回答</a>" in body
