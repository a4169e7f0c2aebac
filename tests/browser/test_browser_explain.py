"""Every decision explained, in Chromium: at 375 px the citizen's live banner says which
condition failed with their own answer and its link leads back to the question; at 1280 px the
clerk's case page names the rule, its definition's file:line and the same reason (issue 12)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect
from test_browser_journey import Htmx, choose, start_birth
from test_browser_pages import no_horizontal_scroll
from test_browser_window import PASSWORD as CLERK_PASSWORD
from test_browser_window import STAFF_VIEWPORT, _clerk, _submit_as_citizen

from yijian.store import Store

pytestmark = pytest.mark.browser

QUESTION = "新生儿是否已签发过出生医学证明"
WHY = f"{QUESTION}须为“否”，您填写的是“是”"


def test_the_banner_at_375_px_says_why_and_links_to_the_question(
    new_context: Any, shot: Any
) -> None:
    page = new_context().new_page()
    htmx = Htmx(page)
    start_birth(page)
    choose(page, QUESTION, "是")
    htmx.settle()
    banner = page.locator("#eligibility")
    expect(banner).to_contain_text("首次签发不能重复办理")  # the author's message stays
    expect(banner.locator(".yj-why")).to_contain_text(WHY)
    link = banner.get_by_role("link", name=re.compile(f"^修改\\s*第 1 页 {QUESTION}$"))
    expect(link).to_be_visible()
    box = link.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 375
    no_horizontal_scroll(page)
    shot(page, "explain-banner-375")
    link.click()
    page.wait_for_url(re.compile(r"/child\?at=child\.has_certificate#f-child-has_certificate$"))
    expect(page.locator("#f-child-has_certificate").first).to_be_attached()
    # answering 否 takes the banner and its reasons away
    choose(page, QUESTION, "否")
    htmx.settle()
    expect(page.locator("#eligibility .yj-why")).to_have_count(0)


def test_the_staff_case_page_at_1280_px_names_the_rule_and_its_definition(
    new_context: Any, site: Any, shot: Any
) -> None:
    login = _clerk(site, "explainclerk")
    case_no = _submit_as_citizen(new_context().new_page())
    store = Store.open(site.db)
    try:  # the same application with a rule that fails on re-evaluation
        case = store.cases.get(case_no)
        draft = store.drafts.get(case.draft_id)
        again = store.drafts.create(draft.matter_id, draft.version, None)
        answers = {**case.answers, "child": {**case.answers["child"], "has_certificate": True}}
        refused = store.cases.submit(again, answers, dict(case.summary), case.region).case_no
    finally:
        store.close()
    clerk = new_context(viewport=STAFF_VIEWPORT).new_page()
    clerk.goto("/staff/signin")
    clerk.get_by_label("登录名").fill(login)
    clerk.get_by_label("密码").fill(CLERK_PASSWORD)
    clerk.get_by_role("button", name="登录").click()
    clerk.wait_for_url(re.compile(r"/staff$"))
    clerk.goto(f"/staff/cases/{refused}")
    rule = clerk.locator(".yj-rule-why__item")
    expect(rule).to_have_count(1)
    expect(rule).to_contain_text("R1")
    expect(rule.locator(".yj-rule-why__site")).to_have_text(
        re.compile(r"^matters/birth-medical-certificate/rules\.yaml:\d+: eligibility\[0\]\.when$")
    )
    expect(rule.locator(".yj-why")).to_contain_text(f"{WHY}（第 1 页 {QUESTION}）")
    expect(rule.get_by_role("link")).to_have_count(0)
    no_horizontal_scroll(clerk)
    shot(clerk, "explain-staff-case-1280")
