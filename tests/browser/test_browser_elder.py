"""长辈版 at 375 px (issue 15, item 7): a one-question screen is headed by its question, the
materials list does not bury it, and the case number wraps between its groups only."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect
from test_browser_journey import Htmx
from test_browser_pages import no_horizontal_scroll, start
from test_browser_window import _submit_as_citizen

pytestmark = pytest.mark.browser

#: where each line of the case number begins (character offsets), from the glyphs' boxes
LINE_STARTS = """() => {
  const ref = document.querySelector('.yj-panel__ref');
  const walker = document.createTreeWalker(ref, NodeFilter.SHOW_TEXT);
  const starts = []; let offset = 0; let top = null;
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    for (let i = 0; i < node.length; i++, offset++) {
      const range = document.createRange();
      range.setStart(node, i); range.setEnd(node, i + 1);
      const y = Math.round(range.getBoundingClientRect().top);
      if (top === null || y > top + 2) { starts.push(offset); top = y; }
    }
  }
  return {text: ref.textContent, starts};
}"""


def elder(ctx: Any, site: Any) -> None:
    ctx.add_cookies([{"name": "yj_theme", "value": "elder", "url": site.url}])


def test_one_question_screen_is_headed_by_its_question(
    site: Any, new_context: Any, shot: Any
) -> None:
    ctx = new_context()
    elder(ctx, site)
    page = ctx.new_page()
    start(page, "birth-medical-certificate")
    h1 = page.get_by_role("heading", level=1)
    expect(h1).to_have_count(1)
    expect(h1).to_have_text("新生儿姓名")
    expect(page.locator(".yj-caption")).to_contain_text("新生儿信息")  # the section
    # the materials are one tap away, not a list of several screens under the question
    expect(page.locator("#materials-box")).to_be_hidden()
    expect(page.locator("summary").filter(has_text="查看所需材料")).to_be_visible()
    buttons = page.get_by_role("button", name="保存并继续").bounding_box()
    height = page.evaluate("() => document.documentElement.scrollHeight")
    assert buttons is not None and height - buttons["y"] < 900, (height, buttons)
    no_horizontal_scroll(page)
    shot(page, "elder-10-question-heading")

    htmx = Htmx(page)  # a live answer keeps the question as the heading
    page.get_by_label("新生儿姓名").fill("李小安")
    page.get_by_label("新生儿姓名").dispatch_event("change")
    htmx.settle()
    expect(h1).to_have_text("新生儿姓名")
    with page.expect_navigation():
        page.get_by_role("button", name="保存并继续").click()
    expect(h1).to_have_text("新生儿性别")  # a legend can be the heading too
    expect(page.get_by_role("group", name="新生儿性别")).to_be_visible()
    shot(page, "elder-11-legend-heading")


def test_case_number_wraps_between_groups_only(site: Any, new_context: Any, shot: Any) -> None:
    ctx = new_context()
    page = ctx.new_page()
    case_no = _submit_as_citizen(page)
    elder(ctx, site)
    page.reload()
    expect(page.get_by_role("link", name="标准版")).to_be_visible()
    found = page.evaluate(LINE_STARTS)
    assert found["text"] == case_no  # copied, it is the digits alone
    assert set(found["starts"]) <= {0, 6, 14}, found  # region · date · sequence
    no_horizontal_scroll(page)
    shot(page, "elder-12-case-number")
    assert re.fullmatch(r"\d{20}", case_no)
