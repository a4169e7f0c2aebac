"""Page checks in a real browser at 375 px: accessibility basics, 长辈版, the newborn bundle."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect
from test_browser_journey import Htmx

pytestmark = pytest.mark.browser

R1_MESSAGE = "该新生儿已签发过出生医学证明，首次签发不能重复办理"

#: Visible form controls with no label, aria-label or aria-labelledby (as "tag#id" strings).
UNLABELLED = """() => [...document.querySelectorAll('input, select, textarea')]
  .filter(e => e.type !== 'hidden' && e.getClientRects().length > 0
               && getComputedStyle(e).visibility !== 'hidden')
  .filter(e => !(e.labels && e.labels.length) && !e.getAttribute('aria-label')
               && !e.getAttribute('aria-labelledby'))
  .map(e => e.tagName.toLowerCase() + '#' + (e.id || e.name))"""

FOCUSED = """() => {
  const e = document.activeElement;
  const s = getComputedStyle(e);
  return {tag: e.tagName.toLowerCase(), id: e.id, text: (e.innerText || '').trim(),
          cls: e.className, outline: s.outlineStyle, shadow: s.boxShadow};
}"""


def no_horizontal_scroll(page: Any) -> None:
    width = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    assert width[0] <= width[1], f"page is {width[0]} px wide in a {width[1]} px viewport"


def all_labelled(page: Any) -> None:
    assert page.evaluate(UNLABELLED) == []


def has_focus_style(focused: dict[str, str]) -> bool:
    return focused["outline"] != "none" or focused["shadow"] != "none"


def tab_until(page: Any, found: Any, limit: int = 60) -> dict[str, str]:
    """Press Tab until ``found(focused)`` holds; returns what has focus then."""
    seen = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        if found(focused):
            return focused
        seen.append(focused["id"] or focused["text"][:10])
    raise AssertionError(f"Tab never reached it; focus went through {seen}")


def start(page: Any, matter_id: str) -> str:
    page.goto(f"/matters/{matter_id}")
    page.get_by_role("button", name="在线申请").first.click()
    page.wait_for_url(re.compile(r"/drafts/"))
    return page.url.split("/drafts/")[1].split("/")[0]


def test_accessibility_basics_on_catalog_and_form(new_context: Any, shot: Any) -> None:
    page = new_context().new_page()
    page.goto("/")
    no_horizontal_scroll(page)
    all_labelled(page)
    focused = tab_until(page, lambda f: f["id"] == "q")
    assert has_focus_style(focused), focused
    shot(page, "a11y-01-catalog-focus")

    start(page, "birth-medical-certificate")
    no_horizontal_scroll(page)
    all_labelled(page)
    # keyboard only: Tab from the top reaches the first field, then the continue button
    page.locator("body").focus()
    focused = tab_until(page, lambda f: f["id"] == "f-child-name")
    assert has_focus_style(focused), focused
    shot(page, "a11y-02-form-first-field")
    focused = tab_until(page, lambda f: f["tag"] == "button" and f["text"] == "保存并继续")
    assert has_focus_style(focused), focused
    assert "yj-visually-hidden" not in focused["cls"]  # the visible button, not the Enter helper

    # continue with nothing filled: the error summary is focused and nothing overflows
    with page.expect_navigation():
        page.keyboard.press("Enter")
    summary = page.get_by_role("alert")
    expect(summary).to_be_visible()
    assert page.evaluate("() => document.activeElement.classList.contains('yj-error-summary')")
    no_horizontal_scroll(page)
    all_labelled(page)
    shot(page, "a11y-03-error-summary")


def test_elder_theme_has_large_type(new_context: Any, shot: Any) -> None:
    page = new_context().new_page()
    page.goto("/")
    page.get_by_role("link", name=re.compile("^长辈版")).click()
    page.wait_for_load_state()
    expect(page.get_by_role("link", name="标准版")).to_be_visible()
    size = page.evaluate("() => parseFloat(getComputedStyle(document.body).fontSize)")
    assert size >= 20, size
    no_horizontal_scroll(page)
    shot(page, "elder-01-catalog")
    start(page, "birth-medical-certificate")
    size = page.evaluate("() => parseFloat(getComputedStyle(document.body).fontSize)")
    assert size >= 20, size
    label = page.evaluate(
        "() => parseFloat(getComputedStyle(document.querySelector('label')).fontSize)"
    )
    assert label >= 20, label
    no_horizontal_scroll(page)
    shot(page, "elder-02-form")


def test_elder_theme_shows_one_question_per_screen(site: Any, new_context: Any, shot: Any) -> None:
    """长辈版 at 375 px: one question, its count, its own message, then the next question."""
    ctx = new_context()
    ctx.add_cookies([{"name": "yj_theme", "value": "elder", "url": site.url}])
    page = ctx.new_page()
    start(page, "birth-medical-certificate")
    caption = page.locator(".yj-steps__caption")
    expect(caption).to_have_text("第 1 步，共 4 步 · 第 1 题，共 10 题")
    assert page.locator("input[name=_f]").count() == 1
    page.get_by_role("button", name="保存并继续").click()
    expect(page.get_by_role("alert")).to_contain_text("请填写新生儿姓名")
    htmx = Htmx(page)
    page.get_by_label("新生儿姓名").fill("李小安")
    # as a person does: the answer is checked live (htmx) before the button is pressed; a click
    # racing that request under a loaded CI machine is what this test is not about
    page.get_by_label("新生儿姓名").dispatch_event("change")
    htmx.settle()
    with page.expect_navigation():
        page.get_by_role("button", name="保存并继续").click()
    expect(caption).to_have_text("第 1 步，共 4 步 · 第 2 题，共 10 题")
    expect(page.get_by_role("group", name="新生儿性别")).to_be_visible()
    all_labelled(page)
    no_horizontal_scroll(page)
    shot(page, "elder-03-one-question")
    page.get_by_role("link", name="返回").click()
    expect(page.get_by_label("新生儿姓名")).to_have_value("李小安")


def test_newborn_bundle_guide_and_member_eligibility(
    site: Any, new_context: Any, shot: Any
) -> None:
    assert site.has_bundle, "matters/newborn-bundle must be in the browser tests' root"
    page = new_context().new_page()
    page.goto("/matters/newborn-bundle")
    expect(page.get_by_role("heading", level=1, name="新生儿出生一件事")).to_be_visible()
    savings = page.get_by_role("heading", name="一件事为您节省")
    expect(savings).to_be_visible()
    expect(page.get_by_text(re.compile(r"分别办理 \d+，一件事办理 \d+")).first).to_be_visible()
    shot(page, "bundle-01-guide")

    draft_id = start(page, "newborn-bundle")
    page.get_by_role("group", name="宝宝是否已在出生医院接种首针疫苗").get_by_label("是").check()
    page.get_by_role("button", name="保存并继续").click()
    page.wait_for_load_state()
    # the member page of 出生医学证明: its rule R1 fails, and the banner says so at once
    page.goto(f"/drafts/{draft_id}/birth-medical-certificate.child")
    url = page.url
    question = page.get_by_role("group", name="新生儿是否已签发过出生医学证明")
    question.get_by_label("是", exact=True).check()
    banner = page.locator("#eligibility")
    banner.get_by_text(R1_MESSAGE).wait_for()
    assert page.url == url
    shot(page, "bundle-02-member-rule")
    question = page.get_by_role("group", name="新生儿是否已签发过出生医学证明")
    question.get_by_label("否", exact=True).check()
    banner.get_by_text(R1_MESSAGE).wait_for(state="detached")
