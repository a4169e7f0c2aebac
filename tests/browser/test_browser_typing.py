"""Typing into a live-validated field at a person's pace, with the answer requests slowed down.

Each answer is posted by htmx after 0.5 s without a key; its response arrives 150-300 ms later,
while the person is already typing the next characters. Nothing they typed may be lost: the
field being edited is never replaced (issue 15, item 1). Real key events for the digits, and
IME-style composition then commit (``Input.imeSetComposition`` + ``insertText``) for Chinese.
"""

from __future__ import annotations

import itertools
import re
from typing import Any

import pytest
from test_browser_journey import Htmx, continue_, fill_child, start_birth

pytestmark = pytest.mark.browser

MOTHER_ID = "11010519491231002X"
ID_GROUPS = ["110105", "19491231", "002X"]  # typed with a pause between groups, as people do
NAME = "欧阳小芳"
PINYIN = {"欧": "ou", "阳": "yang", "小": "xiao", "芳": "fang"}
PAUSE_MS = 700  # longer than the 0.5 s idle that posts the answer
CHAR_MS = 600  # one Chinese character every 0.6 s


def slow_answers(page: Any) -> list[int]:
    """Delay every answer (``/change``) response by 150-300 ms; returns the delays used."""
    delays = itertools.cycle([150, 300, 220, 260])
    used: list[int] = []

    def handle(route: Any) -> None:
        response = route.fetch()
        delay = next(delays)
        used.append(delay)
        page.wait_for_timeout(delay)
        route.fulfill(response=response)

    page.route(re.compile(r"/change\?"), handle)
    return used


def to_parents(page: Any) -> None:
    start_birth(page)
    fill_child(page, js=True, htmx=Htmx(page))
    continue_(page)
    page.wait_for_url(re.compile(r"/parents$"))


def ime_type(page: Any, text: str) -> None:
    """Type Chinese as an IME does: compose the pinyin, commit the character, release the key."""
    cdp = page.context.new_cdp_session(page)
    for char in text:
        syllable = PINYIN[char]
        for i in range(1, len(syllable) + 1):
            cdp.send(
                "Input.imeSetComposition",
                {"text": syllable[:i], "selectionStart": i, "selectionEnd": i},
            )
        page.keyboard.insert_text(char)  # the commit (space or a number key in a real IME)
        page.keyboard.up("Space")
        page.wait_for_timeout(CHAR_MS)


def test_id_typed_in_groups_under_latency_keeps_every_character(
    new_context: Any, shot: Any
) -> None:
    page = new_context().new_page()
    to_parents(page)
    used = slow_answers(page)
    htmx = Htmx(page)
    page.get_by_label("母亲公民身份号码").click()
    for group in ID_GROUPS:
        page.keyboard.type(group, delay=90)
        page.wait_for_timeout(PAUSE_MS)
        # item 5: no "号码不正确" while the number is still being typed
        assert page.locator("#f-mother-id_number-error").count() == 0
    htmx.settle()
    assert used, "no answer was posted while typing"
    assert page.get_by_label("母亲公民身份号码").input_value() == MOTHER_ID
    assert page.evaluate("() => document.activeElement.id") == "f-mother-id_number"
    page.get_by_text("出生日期 1949 年 12 月 31 日，性别 女").wait_for()
    shot(page, "typing-01-id-under-latency")


def test_chinese_name_typed_slowly_under_latency_keeps_every_character(
    new_context: Any, shot: Any
) -> None:
    page = new_context().new_page()
    to_parents(page)
    used = slow_answers(page)
    page.get_by_label("母亲姓名").click()
    ime_type(page, NAME)
    Htmx(page).settle()
    assert used, "no answer was posted while typing"
    assert page.get_by_label("母亲姓名").input_value() == NAME
    shot(page, "typing-02-name-under-latency")
