"""axe-core over the citizen journey at 375 px: both themes, with and without JavaScript.

The newborn bundle from the catalog to its case page: the catalog (and a search), the guides,
every form page (each screen of it in 长辈版), the error summary of a page continued empty, the
review, the case page after submission (申请已提交, what happens next, the receipt link), sign-in
and its error, sign-up (its error, the code page) and 我的办件 with the anonymous case claimed,
保存并稍后继续 and its resume link, an inline error with JavaScript, and 办件查询; and the
上传材料 step (the uploads module's own matter) empty, continued with a file missing, with a
file uploaded and after deleting it. Each state is checked with axe-core
(tests/browser/package.json pins it; ``make axe`` installs it, ``make test`` depends on that)
at the WCAG 2.0/2.1 A and AA tags, with label-content-name-mismatch (WCAG 2.5.3, an
experimental rule in axe) switched on too.

Without JavaScript the page is loaded with script execution switched off through the DevTools
protocol (what Playwright's ``java_script_enabled=False`` does), so the document is the no-JS
one (``<noscript>`` parsed, no htmx); scripts are switched on only while axe runs on that
document (axe needs timers) and off again before the next click.
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from browsertools import BUNDLE, REPO, texted_code
from test_browser_bundles import answers, fill_field, fill_page, idle, rendered_keys
from test_browser_uploads import PDF, to_uploads, upload_site  # noqa: F401 (a fixture)

pytestmark = pytest.mark.browser

AXE = REPO / "tests" / "browser" / "node_modules" / "axe-core" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
OPTIONS = {
    "runOnly": {"type": "tag", "values": TAGS},
    "rules": {"label-content-name-mismatch": {"enabled": True}},
    "resultTypes": ["violations"],
}
RUN = """async (options) => {
  const r = await axe.run(document, options);
  return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 5).map(n => n.target.join(' ') + ' :: ' + n.failureSummary)}));
}"""
MOTHER_ID = "11010519491231002X"
BAD_ID = "110105194912310021"  # wrong check digit
#: one phone number per journey: the journeys of one xdist worker share its server
PHONES = {
    ("default", True): "13700000001",
    ("default", False): "13700000002",
    ("elder", True): "13700000003",
    ("elder", False): "13700000004",
}
VIEWPORT = {"width": 375, "height": 812}  # as the conftest's contexts


def axe_source() -> str:
    if not AXE.exists():  # `make test` installs it (make axe); a skip would hide the checks
        pytest.fail(f"axe-core is missing ({AXE}): run `make axe` (npm ci in tests/browser)")
    return AXE.read_text(encoding="utf-8")


class Audit:
    """Runs axe on the page's current state and keeps what it found, per state."""

    def __init__(self, page: Any, cdp: Any | None, source: str) -> None:
        self.page = page
        self.cdp = cdp  # the DevTools session that keeps scripts off (no-JS), else None
        self.source = source
        self.found: dict[str, list[dict[str, Any]]] = {}
        self.states: list[str] = []

    @classmethod
    def open(cls, ctx: Any, js: bool) -> Audit:
        """A new page of ``ctx``, scripts kept off through DevTools when ``js`` is false."""
        page = ctx.new_page()
        cdp = None
        if not js:
            cdp = ctx.new_cdp_session(page)
            cdp.send("Emulation.setScriptExecutionDisabled", {"value": True})
        return cls(page, cdp, axe_source())

    def __call__(self, state: str) -> None:
        if self.cdp is not None:
            self.cdp.send("Emulation.setScriptExecutionDisabled", {"value": False})
        try:
            if not self.page.evaluate("() => typeof window.axe === 'object'"):
                self.page.evaluate(self.source + "\n;0")
            violations = self.page.evaluate(RUN, OPTIONS)
        finally:
            if self.cdp is not None:
                self.cdp.send("Emulation.setScriptExecutionDisabled", {"value": True})
        self.states.append(state)
        if violations:
            self.found[f"{state} ({self.page.url})"] = violations

    def assert_clean(self) -> None:
        assert not self.found, "axe violations:\n" + json.dumps(
            self.found, ensure_ascii=False, indent=1
        )


def page_id(page: Any) -> str:
    return page.url.split("?")[0].rsplit("/", 1)[1]


def fill_without_js(page: Any, key: str, value: Any) -> None:
    """Answer one question on the no-JS page: a region's next level is loaded by its button."""
    form = page.locator('main form[method="post"]')
    if form.locator(f'select[name="{key}-1"]').count():
        from test_browser_bundles import region_chain

        for level, code in enumerate(region_chain(str(value)), start=1):
            form.locator(f'select[name="{key}-{level}"]').select_option(code)
            more = form.get_by_role("button", name="更新下一级选项")
            if level < len(region_chain(str(value))) and more.count():
                with page.expect_navigation():
                    more.first.click()
                form = page.locator('main form[method="post"]')
        return
    kind = form.locator(f'[name="{key}"]').first.evaluate(
        "e => e.tagName.toLowerCase() + ':' + (e.type || '')"
    )
    if kind in ("input:radio", "input:checkbox"):
        values = (
            ["true"] if value is True else ["false"] if value is False
            else [str(v) for v in (value if isinstance(value, list) else [value])]
        )  # fmt: skip
        for v in values:
            form.locator(f'input[name="{key}"][value="{v}"]').check()
    elif kind.startswith("select"):
        form.locator(f'select[name="{key}"]').select_option(str(value))
    else:
        form.locator(f'[name="{key}"]').fill(str(value))


def continue_(page: Any, js: bool) -> None:
    with page.expect_navigation():
        page.get_by_role("button", name="保存并继续", exact=True).click()
    if js:
        idle(page)


def answer_page(page: Any, js: bool, values: dict[str, Any]) -> None:
    """Answer the page's questions that ``values`` holds, then 保存并继续: questions an answer
    reveals are answered too (at once with JS, after the post without)."""
    fill = fill_field if js else fill_without_js
    done: set[str] = set()
    for _ in range(4):
        todo = [k for k in rendered_keys(page) if k in values and k not in done]
        for key in todo:
            fill(page, key, values[key])
            done.add(key)
        if js and todo:
            continue
        before = page.url
        continue_(page, js)
        if page.url != before or not page.locator(".yj-error-summary").count():
            return
    errors = page.locator(".yj-error-summary").all_inner_texts()
    raise AssertionError(f"stayed on {page.url}: {errors}")


@pytest.mark.parametrize("js", [True, False], ids=["js", "nojs"])
def test_no_axe_violations_where_an_application_cannot_go_on(
    site: Any, new_context: Any, js: bool
) -> None:
    """The dead end of 新生儿出生一件事 with 出生医学证明 already issued: the live banner (JS),
    the page saying it cannot go on and the review page opened by its address, in both
    themes."""
    ctx = new_context()
    audit = Audit.open(ctx, js)
    page = audit.page
    values = answers()
    values.pop("bundle.optional", None)
    page.goto(f"/matters/{BUNDLE}")
    page.get_by_role("button", name="在线申请").first.click()
    page.wait_for_url(re.compile(r"/drafts/[^/]+/situation"))
    while page_id(page) != "birth-medical-certificate.child":
        answer_page(page, js, values)
    refused = {**values, "child.has_certificate": True}
    if not js:
        answer_page(page, js, refused)
    else:
        fill_page(page, refused)
        page.locator("#eligibility .yj-instead__matters a").first.wait_for()
        audit("dead end: live banner")
        with page.expect_navigation():
            page.get_by_role("button", name="保存并继续", exact=True).click()
    page.wait_for_url(re.compile(r"/_cannot-apply"))
    cannot = page.url
    review = cannot.split("/_cannot-apply")[0] + "/review"
    audit("dead end: cannot apply")
    page.goto(review)
    audit("dead end: review")
    ctx.add_cookies([{"name": "yj_theme", "value": "elder", "url": site.url}])
    page.goto(cannot)
    audit("dead end: cannot apply (长辈版)")
    page.goto(review)
    audit("dead end: review (长辈版)")
    audit.assert_clean()


@pytest.mark.parametrize("js", [True, False], ids=["js", "nojs"])
@pytest.mark.parametrize("theme", ["default", "elder"])
def test_no_axe_violations_on_the_journey(
    site: Any, new_context: Any, theme: str, js: bool
) -> None:
    ctx = new_context()
    if theme == "elder":
        ctx.add_cookies([{"name": "yj_theme", "value": "elder", "url": site.url}])
    audit = Audit.open(ctx, js)
    page = audit.page

    page.goto("/")
    audit("catalog")
    page.goto("/?q=出生")
    audit("catalog search")
    page.goto("/matters/birth-medical-certificate")
    audit("guide (matter)")
    page.goto(f"/matters/{BUNDLE}")
    audit("guide (bundle)")

    page.get_by_role("button", name="在线申请").first.click()
    page.wait_for_url(re.compile(r"/drafts/[^/]+/situation"))
    audit("form: situation")
    continue_(page, js)  # nothing answered: the error summary
    assert page.locator(".yj-error-summary").count() == 1
    audit("form: situation, error summary")
    situation = page.url
    with page.expect_navigation():
        page.get_by_role("button", name="保存并稍后继续").click()
    audit("save for later")
    with page.expect_navigation():
        page.get_by_role("button", name="生成继续填写链接").click()
    assert page.locator(".yj-resume-link").count() == 1
    audit("save for later, resume link")
    page.goto(situation)

    values = answers()
    seen: list[str] = []
    while page_id(page) != "review":
        where = page.url.split("/drafts/")[1].split("/", 1)[1]
        if where not in seen:
            seen.append(where)
            if len(seen) > 1:
                audit(f"form: {where}")
        box = page.locator('main form[method="post"] [name="mother.id_number"]')
        if js and box.count() and "inline error" not in " ".join(audit.states):
            box.fill(BAD_ID)  # a wrong check digit, told when the box is left
            box.press("Tab")
            idle(page)
            assert page.locator(".yj-error-message").count() >= 1
            audit(f"form: {where}, inline error")
        answer_page(page, js, values)
        assert len(seen) < 120, seen
    assert any(x.startswith("shared-declaration") for x in seen), seen
    audit("review")

    page.get_by_role("button", name="提交申请").click()
    page.wait_for_url(re.compile(r"/cases/\d{20}$"))
    case_no = page.url.rsplit("/", 1)[1]
    assert page.get_by_role("heading", name="申请已提交").count() == 1
    audit("case page (submitted)")

    page.goto("/progress")
    audit("办件查询")
    page.get_by_label(re.compile("办件编号")).fill(case_no)
    page.get_by_label(re.compile("身份证件号码")).fill("440101199001011233")
    with page.expect_navigation():
        page.locator("main form button[type=submit], main form .yj-button").first.click()
    audit("办件查询, not found")
    page.get_by_label(re.compile("身份证件号码")).fill(MOTHER_ID)
    with page.expect_navigation():
        page.locator("main form button[type=submit], main form .yj-button").first.click()
    audit("办件查询, found")

    page.goto("/signup")
    audit("sign-up")
    with page.expect_navigation():
        page.get_by_role("button", name="注册").click()
    assert page.locator(".yj-error-summary").count() == 1
    audit("sign-up, error")
    phone = PHONES[(theme, js)]
    page.get_by_label("姓名").fill("王芳")
    page.get_by_label("手机号码").fill(phone)
    page.get_by_label("设置密码").fill("correct-horse-9")
    with page.expect_navigation():
        page.get_by_role("button", name="注册").click()
    audit("sign-up, code")
    page.get_by_label("验证码").fill(texted_code(site, phone))
    with page.expect_navigation():
        page.get_by_role("button", name="完成注册").click()
    page.wait_for_url("**/my")
    assert page.get_by_text(case_no).count() >= 1  # the anonymous case, claimed
    audit("我的办件")
    ctx.clear_cookies()
    if theme == "elder":
        ctx.add_cookies([{"name": "yj_theme", "value": "elder", "url": site.url}])

    page.goto("/signin")
    audit("sign-in")
    page.get_by_label(re.compile("手机号")).first.fill("13800138000")
    page.get_by_label(re.compile("密码")).first.fill("wrong-password")
    with page.expect_navigation():
        page.locator("main form button[type=submit], main form .yj-button").first.click()
    assert page.locator(".yj-error-summary").count() == 1
    audit("sign-in, error")

    assert len(audit.states) >= 25, audit.states
    assert any("inline error" in x for x in audit.states) is js, audit.states
    audit.assert_clean()


@pytest.mark.parametrize("js", [True, False], ids=["js", "nojs"])
@pytest.mark.parametrize("theme", ["default", "elder"])
def test_no_axe_violations_on_the_upload_step(
    browser: Any,
    upload_site: str,  # noqa: F811 (the fixture imported above)
    theme: str,
    js: bool,
) -> None:
    ctx = browser.new_context(base_url=upload_site, viewport=VIEWPORT, locale="zh-CN")
    try:
        if theme == "elder":
            ctx.add_cookies([{"name": "yj_theme", "value": "elder", "url": upload_site}])
        ctx.set_default_timeout(30_000)
        audit = Audit.open(ctx, js)
        page = audit.page
        if theme == "elder":  # one question a screen: answer each, then the upload step
            page.goto("/matters/residence-proof")
            page.get_by_role("button", name="在线申请").first.click()
            for _ in range(6):
                if page.url.endswith("/_materials"):
                    break
                for label, value in (("姓名", "张三"), ("联系手机号码", "13800138000")):
                    if page.get_by_label(label, exact=True).count():
                        page.get_by_label(label, exact=True).fill(value)
                if page.get_by_label("子女入学").count():
                    page.get_by_label("子女入学").check()
                continue_(page, js)
            assert page.url.endswith("/_materials"), page.url
        else:
            to_uploads(page)
        audit("upload step")
        continue_(page, js)  # 房屋租赁合同 missing: the error summary
        assert page.locator(".yj-error-summary").count() == 1
        audit("upload step, error summary")
        box = page.get_by_label("房屋租赁合同")
        box.set_input_files({"name": "合同.pdf", "mimeType": "application/pdf", "buffer": PDF})
        if js:
            page.locator("#w-material-lease .yj-file__done").wait_for()
        else:
            with page.expect_navigation():
                page.locator("#w-material-lease").get_by_role("button", name="上传").click()
        audit("upload step, uploaded")
        delete = page.get_by_role("button", name=re.compile(r"^删除此文件"))
        if js:
            delete.click()
            page.get_by_label("房屋租赁合同").wait_for()
        else:
            with page.expect_navigation():
                delete.click()
        audit("upload step, deleted")
        audit.assert_clean()
    finally:
        ctx.close()


@pytest.mark.parametrize("js", [True, False], ids=["js", "nojs"])
def test_the_audit_finds_a_planted_violation(site: Any, new_context: Any, js: bool) -> None:
    """The harness itself: axe runs in both modes, the no-JS document stays without its
    scripts (htmx never loads), and WCAG 2.5.3 (an experimental rule in axe) is checked."""
    ctx = new_context()
    audit = Audit.open(ctx, js)
    page = audit.page
    page.goto("/signin")
    page.evaluate(
        """() => {
        document.querySelector('main form button').setAttribute('aria-label', '提交表单');
        document.querySelector('main').insertAdjacentHTML('beforeend', '<img src="/x.png">');
    }"""
    )
    audit("planted")
    assert page.evaluate("() => typeof window.htmx !== 'undefined'") is js
    found = {v["id"] for v in next(iter(audit.found.values()))}
    assert {"label-content-name-mismatch", "image-alt"} <= found, found
