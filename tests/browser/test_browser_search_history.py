"""Live search keeps one history entry (issue 15, item 9): typing with pauses swaps the results
in after each pause and keeps the address shareable (?q=), but replaces the entry instead of
pushing one per pause, so 返回 leaves the catalog in one step."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import quote

from playwright.sync_api import expect


def test_each_pause_replaces_the_entry_not_pushes_one(new_context: Any) -> None:
    page = new_context().new_page()
    page.goto("/")
    before = page.evaluate("history.length")
    box = page.get_by_label("搜索事项")
    results = page.locator("#results")
    for word in ("出生", "出生证", "上户口"):  # typed with pauses: one live search each
        box.fill(word)
        page.wait_for_url(re.compile("q=" + quote(word)))  # the address says what was searched
        results.get_by_role("heading", name=re.compile(r"找到 \d+ 项")).wait_for()
    expect(results.get_by_role("link", name=re.compile("出生登记"))).to_be_visible()
    assert page.evaluate("history.length") == before
