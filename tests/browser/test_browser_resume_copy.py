"""复制链接 on the save page copies the single-use resume link (issue 15, item 10)."""

from __future__ import annotations

import re
from typing import Any

from playwright.sync_api import expect


def test_copy_button_puts_the_link_on_the_clipboard(new_context: Any) -> None:
    ctx = new_context(permissions=["clipboard-read", "clipboard-write"])
    page = ctx.new_page()
    page.goto("/matters/birth-medical-certificate")
    page.get_by_role("button", name="在线申请").first.click()
    page.wait_for_url(re.compile(r"/drafts/[^/]+/child$"))
    draft = page.url.split("/")[-2]
    page.goto(f"/drafts/{draft}/save")
    page.get_by_role("button", name="生成继续填写链接").click()
    link = page.locator(".yj-resume-link a").get_attribute("href")
    assert link and "/resume/" in link
    page.get_by_role("button", name="复制链接").click()
    expect(page.get_by_role("status").filter(has_text="已复制")).to_be_visible()
    assert page.evaluate("navigator.clipboard.readText()") == link
