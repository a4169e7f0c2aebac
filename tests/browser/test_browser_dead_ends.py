"""No dead ends in Chromium at 375 px (issue 15, item 3): 新生儿出生一件事 with 出生医学证明
already issued stops at the page where that is answered, with what to do instead.

With JavaScript the live banner says it the moment 是 is chosen (the reasons, the members to
apply for singly, the hotline); 保存并继续 then leads to the page saying that the application
cannot go on, in 标准版 and in 长辈版; 修改回答 leads back to the question, and changing it lets
the person go on; the review page, opened by its address, says why it cannot be submitted.
Screenshots: test-results/screenshots/dead-end-*.png.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect
from test_browser_bundles import answers, continue_, fill_field, fill_page, no_horizontal_scroll

pytestmark = pytest.mark.browser

CHILD_PAGE = "birth-medical-certificate.child"
SINGLY = [
    "预防接种证办理",
    "出生登记（户口）",
    "城乡居民基本医疗保险参保登记（新生儿）",
    "社会保障卡申领（新生儿）",
]
R1 = "该新生儿已签发过出生医学证明，首次签发不能重复办理"
REFUSED = "您不能通过“新生儿出生一件事”一并办理"


def page_id(page: Any) -> str:
    return page.url.split("?")[0].split("#")[0].rsplit("/", 1)[1]


def test_newborn_with_a_certificate_stops_where_it_is_answered(
    site: Any, new_context: Any, shot: Any
) -> None:
    values = answers()
    values.pop("bundle.optional", None)  # no optional member: the required ones only
    ctx = new_context()
    page = ctx.new_page()
    page.goto("/matters/newborn-bundle")
    page.get_by_role("button", name="在线申请").first.click()
    page.wait_for_url(re.compile(r"/drafts/[^/]+/situation$"))
    while page_id(page) != CHILD_PAGE:
        fill_page(page, values)
        continue_(page)

    # the answer that refuses: the live banner says so at once, with what to do instead
    fill_page(page, {**values, "child.has_certificate": True})
    banner = page.locator("#eligibility")
    expect(banner).to_contain_text("暂不符合申请条件")
    expect(banner).to_contain_text(R1)
    expect(banner).to_contain_text("您可以")
    expect(banner.locator(".yj-instead__matters a")).to_have_text(SINGLY)
    expect(banner.get_by_role("link", name="12345")).to_have_attribute("href", "tel:12345")
    no_horizontal_scroll(page)
    shot(page, "dead-end-01-live-banner")

    # 保存并继续: not on to the next page, but to why and what to do instead
    page.get_by_role("button", name="保存并继续", exact=True).click()
    page.wait_for_url(re.compile(r"/_cannot-apply\?from="))
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_have_text(REFUSED)
    main = page.locator("main")
    expect(main).to_contain_text(R1)
    expect(main.locator(".yj-instead__matters a")).to_have_text(SINGLY)
    expect(main.get_by_role("link", name="12345")).to_be_visible()
    no_horizontal_scroll(page)
    shot(page, "dead-end-02-cannot-apply")
    cannot_url = page.url

    # 长辈版: the same page, larger
    ctx.add_cookies([{"name": "yj_theme", "value": "elder", "url": site.url}])
    page.goto(cannot_url)
    expect(page.locator("body")).to_have_class(re.compile("yj-theme-elder"))
    expect(page.get_by_role("heading", level=1)).to_have_text(REFUSED)
    no_horizontal_scroll(page)
    shot(page, "dead-end-03-cannot-apply-elder")
    ctx.clear_cookies(name="yj_theme")

    # the review page, opened by its address: never a dead end either
    page.goto(cannot_url.split("/_cannot-apply")[0] + "/review")
    expect(page.get_by_role("heading", name="这份申请不能提交")).to_be_visible()
    expect(page.get_by_role("button", name="提交申请")).to_have_count(0)
    expect(page.locator("#eligibility .yj-instead__matters a")).to_have_text(SINGLY)
    no_horizontal_scroll(page)
    shot(page, "dead-end-04-review")
    page.goto(cannot_url)

    # a singly matter's link opens its guide
    page.get_by_role("link", name="出生登记（户口）").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("出生登记")
    page.go_back()

    # 修改回答: back at the question; the answer changed, the form goes on
    page.get_by_role("button", name="修改回答").click()
    page.wait_for_url(re.compile(rf"/{re.escape(CHILD_PAGE)}\?"))
    fill_field(page, "child.has_certificate", False)
    expect(page.locator("#eligibility")).not_to_contain_text("您可以")
    continue_(page)
    assert page_id(page) == "vaccination-certificate.vaccination", page.url
