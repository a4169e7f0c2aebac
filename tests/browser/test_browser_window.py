"""The window in a real browser: a clerk at 1280 px asks for one correction, the citizen at
375 px answers it online, the clerk sees what changed and accepts; both see the timeline.

The clerk is created with ``yijian staff add`` against the running server's database, as a
county would do it.
"""

from __future__ import annotations

import re
import subprocess
from typing import Any

import pytest
from browsertools import yijian_command as _yijian
from playwright.sync_api import expect
from test_browser_journey import (
    Htmx,
    agree_and_review,
    case_number,
    continue_,
    fill_child,
    fill_parents,
    start_birth,
)
from test_browser_pages import all_labelled, has_focus_style, no_horizontal_scroll, tab_until

from yijian.web.settings import DEFAULT_REGION

pytestmark = pytest.mark.browser

PASSWORD = "browser-window-pass-1"
NEW_ID = "440101199001011241"  # a woman's number: it corrects the mother's
STAFF_VIEWPORT = {"width": 1280, "height": 900}


def _clerk(site: Any, login: str = "wangfang") -> str:
    done = subprocess.run(
        _yijian(
            "staff", "add", "--root", str(site.root), "--db", site.db,
            "--login", login, "--name", "王芳", "--role", "clerk", "--region", DEFAULT_REGION,
            "--password-stdin",
        ),
        input=PASSWORD + "\n", capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    return login


def _submit_as_citizen(page: Any) -> str:
    htmx = Htmx(page)
    start_birth(page)
    fill_child(page, js=True, htmx=htmx)
    continue_(page)
    page.wait_for_url(re.compile(r"/parents$"))
    fill_parents(page)
    continue_(page)
    agree_and_review(page)
    page.get_by_role("button", name="提交申请").click()
    page.get_by_role("heading", name="申请已提交").wait_for()
    return case_number(page)


def test_clerk_correction_citizen_answers_clerk_accepts(
    new_context: Any, site: Any, shot: Any
) -> None:
    login = _clerk(site)
    citizen = new_context().new_page()
    case_no = _submit_as_citizen(citizen)

    clerk = new_context(viewport=STAFF_VIEWPORT).new_page()
    clerk.goto("/staff")
    clerk.wait_for_url(re.compile(r"/staff/signin"))
    clerk.get_by_label("登录名").fill(login)
    clerk.get_by_label("密码").fill(PASSWORD)
    clerk.get_by_role("button", name="登录").click()
    expect(clerk.get_by_role("heading", name="窗口待办")).to_be_visible()
    row = clerk.get_by_role("row").filter(has_text=case_no)
    expect(row).to_contain_text("王*")
    expect(row).to_contain_text("1101**********002X")
    shot(clerk, "window-01-queue-1280")
    row.get_by_role("link", name=case_no).click()
    expect(clerk.get_by_role("heading", name=re.compile(case_no))).to_be_visible()
    clerk.get_by_label("母亲公民身份号码", exact=True).check()
    clerk.get_by_label("母亲公民身份号码 的补正原因").fill("与户口簿记载不一致")
    clerk.get_by_label("补正期限").fill("2099-01-31")
    shot(clerk, "window-02-case-1280")
    clerk.get_by_role("button", name="发出补正通知").click()
    expect(clerk.get_by_text("需要补正材料")).to_be_visible()

    citizen.goto(f"/cases/{case_no}")
    expect(citizen.get_by_role("heading", name="需要您补正")).to_be_visible()
    expect(citizen.get_by_text("与户口簿记载不一致")).to_be_visible()
    shot(citizen, "window-03-citizen-notice-375")
    citizen.get_by_role("link", name="去补正").click()
    field = citizen.get_by_label("母亲公民身份号码")
    expect(field).to_have_value("11010519491231002X")
    no_horizontal_scroll(citizen)  # 375 px
    all_labelled(citizen)
    field.fill(NEW_ID)
    shot(citizen, "window-04-citizen-correct-375")
    citizen.get_by_role("button", name="提交补正").click()
    citizen.wait_for_url(re.compile(rf"/cases/{case_no}$"))
    expect(citizen.get_by_text("已提交补正")).to_be_visible()

    clerk.goto(f"/staff/cases/{case_no}")
    expect(clerk.get_by_role("heading", name="补正内容")).to_be_visible()
    expect(clerk.get_by_role("cell", name=NEW_ID)).to_be_visible()
    clerk.get_by_role("button", name="受理", exact=True).click()
    expect(clerk.get_by_text("窗口已受理")).to_be_visible()
    expect(clerk.get_by_role("heading", name="窗口操作")).to_have_count(0)
    shot(clerk, "window-05-accepted-1280")

    citizen.goto(f"/cases/{case_no}")
    expect(citizen.get_by_text("窗口已受理")).to_be_visible()
    notice = citizen.get_by_role("link", name="下载受理通知书（PDF）")
    response = citizen.context.request.get(notice.get_attribute("href"))
    assert response.status == 200 and response.body().startswith(b"%PDF")
    shot(citizen, "window-06-citizen-timeline-375")


def test_staff_pages_keyboard_and_labels(new_context: Any, site: Any) -> None:
    """The sign-in page works from the keyboard alone, and a wrong password is announced."""
    page = new_context(viewport=STAFF_VIEWPORT).new_page()
    page.goto("/staff/signin")
    page.keyboard.press("Tab")  # the skip link first
    page.get_by_label("登录名").focus()
    page.keyboard.type("nobody")
    page.keyboard.press("Tab")
    page.keyboard.type("wrong-password")
    page.keyboard.press("Enter")
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("登录名或密码不正确")
    assert page.title().startswith("错误：")


def test_staff_pages_work_from_the_keyboard_at_1280(new_context: Any, site: Any, shot: Any) -> None:
    """The queue and a case page: every control labelled, nothing wider than the screen, and
    Tab reaches the case link and the 受理 button with a visible focus style."""
    login = _clerk(site, "keyboard")
    citizen = new_context().new_page()
    case_no = _submit_as_citizen(citizen)
    page = new_context(viewport=STAFF_VIEWPORT).new_page()
    page.goto("/staff/signin")
    page.get_by_label("登录名").fill(login)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("heading", name="窗口待办")).to_be_visible()
    no_horizontal_scroll(page)
    all_labelled(page)
    focused = tab_until(page, lambda f: f["tag"] == "a" and f["text"] == case_no, limit=200)
    assert has_focus_style(focused), focused
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name=re.compile(case_no))).to_be_visible()
    no_horizontal_scroll(page)
    all_labelled(page)
    focused = tab_until(page, lambda f: f["tag"] == "button" and f["text"] == "受理", limit=300)
    assert has_focus_style(focused), focused
    shot(page, "window-07-case-keyboard-1280")
