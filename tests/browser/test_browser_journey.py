"""A citizen's journeys through 出生医学证明首次签发 in a real browser at 375 px.

With JavaScript (htmx live search, live eligibility banner, inline field messages), without
JavaScript (full-page posts, error summary), and save-and-resume across browsers.
"""

from __future__ import annotations

import re
import time
from typing import Any

import pytest
from browsertools import texted_code
from playwright.sync_api import expect

from yijian.web.settings import DEFAULT_REGION

pytestmark = pytest.mark.browser

BIRTH_NAME = "出生医学证明首次签发"
R1_MESSAGE = "该新生儿已签发过出生医学证明，首次签发不能重复办理"
CASE_NO = re.compile(r"^\d{6}\d{8}\d{6}$")
BAD_ID = "110105194912310021"  # wrong check digit
MOTHER_ID = "11010519491231002X"
FATHER_ID = "440101199001011233"


class Htmx:
    """Counts the page's in-flight htmx change requests, to wait until the swaps are done."""

    def __init__(self, page: Any) -> None:
        self.page = page
        self.inflight = 0
        page.on("request", lambda r: self._count(r, 1))
        page.on("requestfinished", lambda r: self._count(r, -1))
        page.on("requestfailed", lambda r: self._count(r, -1))

    def _count(self, request: Any, step: int) -> None:
        if "/change?" in request.url:
            self.inflight += step

    def settle(self, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            self.page.wait_for_timeout(60)  # lets Playwright deliver the pending events
            busy = self.page.evaluate(
                "() => !!document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling')"
            )
            if self.inflight <= 0 and not busy:
                return
        raise AssertionError(f"htmx requests still running after {timeout} s")


def choose(page: Any, question: str, answer: str) -> None:
    """Tick the radio ``answer`` of the question whose legend is ``question``."""
    page.get_by_role("group", name=question).get_by_label(answer, exact=True).check()


def start_birth(page: Any) -> str:
    """From the guide, press 在线申请; returns the draft id."""
    page.goto("/matters/birth-medical-certificate")
    page.get_by_role("button", name="在线申请").first.click()
    page.wait_for_url(re.compile(r"/drafts/[^/]+/child$"))
    return page.url.split("/drafts/")[1].split("/")[0]


def fill_region(page: Any, js: bool) -> None:
    """出生地点 广东省 → 中山市 (no county level); without JS a button loads the next level."""
    page.get_by_label("省（自治区、直辖市）").select_option("440000")
    if not js:
        page.get_by_role("button", name="更新下一级选项").click()
    page.get_by_label("市（州、盟）").select_option("442000")


def fill_child(page: Any, js: bool, htmx: Htmx | None = None, certificate: str = "否") -> None:
    page.get_by_label("新生儿姓名").fill("李小安")
    choose(page, "新生儿性别", "女")
    page.get_by_label("出生日期时间").fill("2025-09-28T08:30")
    if htmx:
        htmx.settle()
    fill_region(page, js)
    if htmx:
        htmx.settle()
    page.get_by_label("分娩助产机构").fill("中山市博爱医院")
    choose(page, "该助产机构是否具有出生医学证明签发资质", "是")
    page.get_by_label("出生体重").fill("3200")
    page.get_by_label("出生身长").fill("50")
    page.get_by_label("出生孕周").fill("39")
    choose(page, "新生儿是否已签发过出生医学证明", certificate)
    if htmx:
        htmx.settle()


def fill_parents(page: Any) -> None:
    page.get_by_label("母亲姓名").fill("王芳")
    page.get_by_label("母亲公民身份号码").fill(MOTHER_ID)
    page.get_by_label("父亲姓名").fill("李明")
    page.get_by_label("父亲公民身份号码").fill(FATHER_ID)
    page.get_by_label("联系手机号码").fill("13800138000")


def continue_(page: Any) -> None:
    page.get_by_role("button", name="保存并继续").click()
    page.wait_for_load_state()


def agree_and_review(page: Any) -> None:
    page.wait_for_url(re.compile(r"/declaration$"))
    page.get_by_label("本人已阅读并同意以上承诺").check()
    continue_(page)
    page.wait_for_url(re.compile(r"/review$"))
    expect(page.get_by_role("heading", name="核对您的申请")).to_be_visible()


def case_number(page: Any) -> str:
    no = page.locator(".yj-panel__ref").inner_text().strip()
    assert CASE_NO.match(no), no
    assert no.startswith(DEFAULT_REGION)
    return no


def receipt_is_pdf(page: Any) -> None:
    """The 收件凭证 link, when the case page offers it, serves a PDF."""
    link = page.get_by_role("link", name="下载收件凭证（PDF）")
    if link.count() == 0:
        return
    href = link.get_attribute("href")
    response = page.context.request.get(href)
    assert response.status == 200, f"{href}: {response.status}"
    assert response.body().startswith(b"%PDF")


def test_journey_with_javascript(new_context: Any, shot: Any) -> None:
    page = new_context().new_page()
    htmx = Htmx(page)

    # the catalog's live filter: pinyin initials, results swapped in by htmx
    page.goto("/")
    catalog_url = page.url
    page.get_by_label("搜索事项").press_sequentially("csyx", delay=30)
    page.locator("#results").get_by_role("heading", name=re.compile(r"找到 \d+ 项")).wait_for()
    assert page.url.startswith(catalog_url)  # same document (htmx pushes ?q=), not a form post
    shot(page, "js-journey-01-search")
    page.locator("#results").get_by_role("link", name=BIRTH_NAME).click()
    page.wait_for_url("**/matters/birth-medical-certificate")
    expect(page.get_by_role("heading", level=1, name=BIRTH_NAME)).to_be_visible()
    shot(page, "js-journey-02-guide")

    page.get_by_role("button", name="在线申请").first.click()
    page.wait_for_url(re.compile(r"/drafts/[^/]+/child$"))
    fill_child(page, js=True, htmx=htmx)

    # the live eligibility banner: R1 appears and goes again without a page load
    form_url = page.url
    loads: list[str] = []
    page.on("load", lambda p: loads.append(p.url))
    banner = page.locator("#eligibility")
    choose(page, "新生儿是否已签发过出生医学证明", "是")
    banner.get_by_text(R1_MESSAGE).wait_for()
    assert banner.get_by_role("heading").inner_text().endswith("暂不符合申请条件")
    shot(page, "js-journey-03-banner")
    choose(page, "新生儿是否已签发过出生医学证明", "否")
    banner.get_by_text(R1_MESSAGE).wait_for(state="detached")
    htmx.settle()
    assert banner.inner_text().strip() == ""
    assert page.url == form_url and loads == []
    shot(page, "js-journey-04-banner-gone")
    continue_(page)

    # an invalid 身份证号: the message shows beside the field once it is left
    page.wait_for_url(re.compile(r"/parents$"))
    loads.clear()
    fill_parents(page)
    id_box = page.get_by_label("母亲公民身份号码")
    id_box.fill(BAD_ID)
    id_box.press("Tab")
    message = page.locator("#f-mother-id_number-error")
    message.wait_for()
    assert "公民身份号码不正确" in message.inner_text()
    assert page.url.endswith("/parents") and loads == []
    shot(page, "js-journey-05-id-error")
    id_box = page.get_by_label("母亲公民身份号码")  # the field was swapped: find it again
    id_box.fill(MOTHER_ID)
    id_box.press("Tab")
    message.wait_for(state="detached")
    page.get_by_text("出生日期 1949 年 12 月 31 日，性别 女").wait_for()  # decoded from the number
    htmx.settle()
    continue_(page)

    agree_and_review(page)
    expect(page.get_by_text("李小安")).to_be_visible()
    expect(page.get_by_text("广东省中山市")).to_be_visible()
    shot(page, "js-journey-06-review")

    # 修改 one answer and come back to the check page
    page.get_by_role("link", name=re.compile(r"^修改\s*新生儿姓名$")).click()
    page.wait_for_url(re.compile(r"/child\?return=review"))
    expect(page.get_by_role("link", name="返回核对页")).to_be_visible()
    page.get_by_label("新生儿姓名").fill("李小宁")
    shot(page, "js-journey-07-change")
    continue_(page)
    page.wait_for_url(re.compile(r"/review$"))
    expect(page.get_by_text("李小宁")).to_be_visible()

    page.get_by_role("button", name="提交申请").click()
    page.get_by_role("heading", name="申请已提交").wait_for()
    case_number(page)
    shot(page, "js-journey-08-case")


def test_anonymous_receipt_link_serves_the_pdf(new_context: Any, shot: Any) -> None:
    page = new_context(java_script=False).new_page()
    start_birth(page)
    fill_child(page, js=False)
    continue_(page)
    fill_parents(page)
    continue_(page)
    agree_and_review(page)
    page.get_by_role("button", name="提交申请").click()
    case_number(page)
    assert "/cases/" in page.url  # redirected: reloading the receipt never posts again
    receipt_is_pdf(page)
    page.reload()
    case_number(page)


def test_journey_without_javascript(new_context: Any, shot: Any) -> None:
    page = new_context(java_script=False).new_page()
    start_birth(page)
    expect(page.get_by_text("第 1 步，共 4 步")).to_be_visible()
    fill_child(page, js=False)
    shot(page, "nojs-journey-01-child")
    continue_(page)

    # a page with errors: the summary links every field, and what was typed stays
    page.wait_for_url(re.compile(r"/parents$"))
    fill_parents(page)
    page.get_by_label("母亲公民身份号码").fill(BAD_ID)
    page.get_by_label("父亲姓名").fill("")
    page.get_by_label("联系手机号码").fill("12345")
    continue_(page)
    summary = page.get_by_role("alert")
    expect(summary.get_by_role("heading", name="请修改以下问题")).to_be_visible()
    links = summary.get_by_role("link")
    hrefs = [links.nth(i).get_attribute("href") for i in range(links.count())]
    assert hrefs == ["#f-mother-id_number", "#f-father-name", "#f-contact-phone"], hrefs
    for href in hrefs:
        assert page.locator(f"input{href}").count() == 1, href
    assert page.title().startswith("错误：")
    assert page.get_by_label("母亲公民身份号码").input_value() == BAD_ID
    assert page.get_by_label("联系手机号码").input_value() == "12345"
    assert page.get_by_label("母亲姓名").input_value() == "王芳"
    shot(page, "nojs-journey-02-errors")

    summary.get_by_role("link").first.click()  # the link takes the reader to the field
    assert page.url.endswith("#f-mother-id_number")
    fill_parents(page)
    continue_(page)
    agree_and_review(page)
    shot(page, "nojs-journey-03-review")
    page.get_by_role("button", name="提交申请").click()
    page.get_by_role("heading", name="申请已提交").wait_for()
    case_number(page)
    shot(page, "nojs-journey-04-case")


def test_save_and_resume_in_another_browser(new_context: Any, shot: Any, site: Any) -> None:
    phone, password = "13912345678", "correct-horse-9"
    first = new_context().new_page()
    first.goto("/signup")
    first.get_by_label("姓名").fill("王芳")
    first.get_by_label("手机号码").fill(phone)
    first.get_by_label("设置密码").fill(password)
    first.get_by_role("button", name="注册").click()
    first.wait_for_url("**/signup/verify**")
    expect(first.locator("main")).to_contain_text("139****5678")
    shot(first, "resume-00-signup-code")
    first.get_by_label("验证码").fill(texted_code(site, phone))
    first.get_by_role("button", name="完成注册").click()
    first.wait_for_url("**/my")
    start_birth(first)
    fill_child(first, js=True, htmx=Htmx(first))
    first.get_by_role("button", name="保存并稍后继续").click()
    first.get_by_role("heading", name="您填写的内容已保存").wait_for()
    shot(first, "resume-01-saved")

    # another browser: sign in, find the draft under 我的办件, the answers are there
    second = new_context().new_page()
    second.goto("/signin")
    second.get_by_label("手机号码").fill(phone)
    second.get_by_label("密码").fill(password)
    second.get_by_role("button", name="登录").click()
    second.wait_for_url("**/my")
    shot(second, "resume-02-my")
    second.get_by_role("link", name=re.compile(f"^继续填写\\s*：{BIRTH_NAME}$")).click()
    second.wait_for_url(re.compile(r"/drafts/[^/]+/child$"))
    assert second.get_by_label("新生儿姓名").input_value() == "李小安"
    assert second.get_by_label("出生体重").input_value() == "3200"
    assert second.get_by_label("市（州、盟）").input_value() == "442000"
    group = second.get_by_role("group", name="新生儿性别")
    expect(group.get_by_label("女", exact=True)).to_be_checked()
    shot(second, "resume-03-resumed")

    # finish there; a signed-in owner gets the case page and its receipt PDF
    continue_(second)
    fill_parents(second)
    continue_(second)
    agree_and_review(second)
    second.get_by_role("button", name="提交申请").click()
    second.wait_for_url(re.compile(r"/cases/\d+$"))
    no = case_number(second)
    receipt_is_pdf(second)
    second.goto("/my")
    expect(second.get_by_text(f"办件编号 {no}")).to_be_visible()


def test_anonymous_draft_is_not_found_in_a_fresh_browser(new_context: Any, shot: Any) -> None:
    owner = new_context(java_script=False).new_page()
    draft_id = start_birth(owner)
    stranger = new_context(java_script=False).new_page()
    response = stranger.goto(f"/drafts/{draft_id}/child")
    assert response is not None and response.status == 404
    expect(stranger.get_by_role("heading", name="页面不存在")).to_be_visible()
    assert stranger.get_by_label("新生儿姓名").count() == 0
    shot(stranger, "resume-04-anonymous-404")
