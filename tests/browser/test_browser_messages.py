"""Messages with JavaScript on, at 375 px: the error summary and title follow the fields, and a
screen reader hears what changed once, in one status region (issue 15, items 5 and 6).

Without JavaScript the summary is drawn by the server on every post (test_browser_journey);
with it, fields change in place, so the summary, the "错误：" title and the announcements must
change with them, and no container htmx fills may be a live region of its own.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect
from test_browser_journey import (
    BAD_ID,
    MOTHER_ID,
    R1_MESSAGE,
    Htmx,
    choose,
    continue_,
    fill_child,
    fill_parents,
    start_birth,
)
from test_browser_pages import start

pytestmark = pytest.mark.browser


def leave(page: Any, label: str, value: str, htmx: Htmx) -> None:
    """Type ``value`` into the field and leave it with Tab, as a person does."""
    box = page.get_by_label(label)
    box.fill(value)
    box.press("Tab")
    htmx.settle()


def summary_texts(page: Any) -> list[str]:
    return page.locator(".yj-error-summary a").all_inner_texts()


def test_error_summary_and_title_follow_the_fields(new_context: Any, shot: Any) -> None:
    page = new_context().new_page()
    htmx = Htmx(page)
    start_birth(page)
    fill_child(page, js=True, htmx=htmx)
    continue_(page)
    page.wait_for_url(re.compile(r"/parents$"))
    fill_parents(page)
    page.get_by_label("母亲公民身份号码").fill(BAD_ID)
    page.get_by_label("父亲姓名").fill("")
    page.get_by_label("联系手机号码").fill("12345")
    htmx.settle()
    continue_(page)
    summary = page.locator(".yj-error-summary")
    expect(summary.get_by_role("link")).to_have_count(3)
    assert page.title().startswith("错误：")
    phone_before = summary_texts(page)[2]

    leave(page, "父亲姓名", "李明", htmx)  # fixed: it leaves the summary
    expect(summary.get_by_role("link")).to_have_count(2)
    leave(page, "联系手机号码", "", htmx)  # a different message: the summary says the new one
    expect(summary.get_by_role("link").nth(1)).not_to_have_text(phone_before)
    expect(summary.get_by_role("link").nth(1)).to_have_text(
        page.locator("#f-contact-phone-error").inner_text().replace("错误：", "").strip()
    )
    expect(page.locator("#yj-status")).to_contain_text("错误：")  # announced on leaving
    assert page.title().startswith("错误：")
    shot(page, "messages-01-summary-follows")

    leave(page, "母亲公民身份号码", MOTHER_ID, htmx)
    leave(page, "联系手机号码", "13800138000", htmx)
    expect(summary).to_have_count(0)
    expect(page).not_to_have_title(re.compile("^错误："))
    shot(page, "messages-02-summary-gone")


def test_region_message_waits_for_the_city(new_context: Any, shot: Any) -> None:
    page = new_context().new_page()
    htmx = Htmx(page)
    start_birth(page)
    page.get_by_label("省（自治区、直辖市）").select_option("440000")
    htmx.settle()
    expect(page.get_by_label("市（州、盟）")).to_be_visible()
    assert page.locator("#w-child-birth_region .yj-error-message").count() == 0
    shot(page, "messages-03-province-chosen")


def test_banner_once_not_live_and_its_title_announced(
    site: Any, new_context: Any, shot: Any
) -> None:
    assert site.has_bundle
    page = new_context().new_page()
    htmx = Htmx(page)
    draft_id = start(page, "newborn-bundle")
    banners = page.locator("main .yj-banner")
    titles = banners.locator(".yj-banner__title").all_inner_texts()
    assert len(titles) == len(set(titles)), titles  # no banner twice on one page
    page.goto(f"/drafts/{draft_id}/birth-medical-certificate.child")
    titles = page.locator("main .yj-banner__title").all_inner_texts()
    assert len(titles) == len(set(titles)), titles
    choose(page, "新生儿是否已签发过出生医学证明", "是")
    page.locator("#eligibility").get_by_text(R1_MESSAGE).wait_for()
    htmx.settle()
    assert page.locator("main").get_by_text(R1_MESSAGE).count() == 1
    # neither the banner nor anything around it is a live region: only its title is said
    live = page.evaluate(
        "() => [...document.querySelectorAll('[aria-live], [role=status], [role=alert]')]"
        ".filter(e => e.contains(document.getElementById('eligibility'))"
        " || document.getElementById('eligibility').contains(e)).length"
    )
    assert live == 0
    # its title as read: the hidden 错误： and the words, not the drawn symbol
    expect(page.locator("#yj-status")).to_have_text(re.compile(r"^错误：\S*暂不符合申请条件$"))
    shot(page, "messages-04-banner-once")


def test_search_results_are_not_read_again_whole(new_context: Any, shot: Any) -> None:
    page = new_context().new_page()
    page.goto("/")
    assert page.locator("#results").get_attribute("aria-live") is None
    page.get_by_label("搜索事项").press_sequentially("csyx", delay=30)
    heading = page.locator("#results").get_by_role("heading", name=re.compile(r"找到 \d+ 项"))
    heading.wait_for()
    expect(page.locator("#yj-status")).to_have_text(heading.inner_text().strip())
    shot(page, "messages-05-search-status")
