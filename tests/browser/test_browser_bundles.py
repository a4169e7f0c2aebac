"""新生儿出生一件事 end to end in a real browser with JavaScript at 375 px (issue 4).

From the guide's 在线申请 button through every page the rules show (never by typing a URL),
filling each page as a citizen does; htmx re-evaluates on every answer, so the eligibility
banner is watched flipping live for the optional 生育医疗费用报销 (ticked without a bank card:
暂不符合 with its reason; the card typed: 符合条件). Then the checklist on the review page
lists each material once, and the submitted bundle's case page lists the sub-cases.
Screenshots: test-results/screenshots/bundle-journey-*.png.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

import pytest
import yaml
from backoffice import life
from browsertools import BUNDLE, REPO
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

MATERNITY = "maternity-medical-reimbursement"
MATERNITY_NAME = "生育医疗费用报销"  # the member's name as the banner shows it
R7_MESSAGE = "生育医疗费用报销需填写产妇本人 I 类银行卡"
#: The sub-cases, in bundle order, as the case page names them.
SUB_CASES = [
    "出生医学证明首次签发",
    "预防接种证办理",
    "出生登记（户口）",
    "城乡居民基本医疗保险参保登记（新生儿）",
    "社会保障卡申领（新生儿）",
    "生育医疗费用报销",
]
IDLE = "() => !document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling')"


def answers() -> dict[str, Any]:
    """cases.yaml's 可选事项全部勾选 case, with only 生育医疗费用报销 ticked and the child born
    two days ago (the web layer counts the 12-month limit from the real today)."""
    data = yaml.safe_load((REPO / "matters" / BUNDLE / "cases.yaml").read_text(encoding="utf-8"))
    case = next(c for c in data["cases"] if str(c["name"]).startswith("可选事项全部勾选"))
    values = dict(case["answers"])
    values["bundle.optional"] = [MATERNITY]
    values.pop("guidance.clinic", None)
    values["child.birth_datetime"] = f"{date.today() - timedelta(days=2)}T08:30"
    return values


def idle(page: Any) -> None:
    page.wait_for_function(IDLE)


def no_horizontal_scroll(page: Any) -> None:
    width = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    assert width[0] <= width[1], f"page is {width[0]} px wide in a {width[1]} px viewport"


def rendered_keys(page: Any) -> list[str]:
    return page.locator('main form[method="post"] input[name="_f"]').evaluate_all(
        "els => els.map(e => e.value)"
    )


def fill_field(page: Any, key: str, value: Any) -> None:
    """Answer one question the way a person does: click the option, pick from the selects,
    type and leave the box (Tab) so that htmx sends the change."""
    form = page.locator('main form[method="post"]')
    kind = form.locator(f'[name="{key}"], [name="{key}-1"]').first.evaluate(
        "e => e.tagName.toLowerCase() + ':' + (e.type || '')"
    )
    if kind in ("input:radio", "input:checkbox"):
        if value is True and kind == "input:radio":
            values = ["true"]
        elif value is False:
            values = ["false"]
        elif value is True:
            values = ["true"]  # a declaration's one box
        else:
            values = [str(v) for v in (value if isinstance(value, list) else [value])]
        for v in values:
            form.locator(f'input[name="{key}"][value="{v}"]').check()
            idle(page)
    elif kind.startswith("select") and form.locator(f'select[name="{key}-1"]').count():
        regions = region_chain(str(value))
        for level, code in enumerate(regions, start=1):
            select = form.locator(f'select[name="{key}-{level}"]')
            expect(select).to_be_visible()
            select.select_option(code)
            idle(page)
    elif kind.startswith("select"):
        form.locator(f'select[name="{key}"]').select_option(str(value))
        idle(page)
    else:
        box = form.locator(f'[name="{key}"]')
        box.fill(str(value))
        box.press("Tab")
        idle(page)


def region_chain(code: str) -> list[str]:
    """Province, city (and county) codes down to ``code``, as the selects offer them."""
    from yijian.runtime.regions import RegionTable

    return [r.code for r in RegionTable.load().path(code)]


def fill_page(page: Any, values: dict[str, Any]) -> None:
    """Every rendered question that has an answer; questions revealed by an answer (htmx
    shows them at once) are answered on the next round."""
    done: set[str] = set()
    for _ in range(4):
        todo = [k for k in rendered_keys(page) if k in values and k not in done]
        if not todo:
            return
        for key in todo:
            fill_field(page, key, values[key])
            done.add(key)


def member_row(page: Any, name: str, where: str = "#eligibility") -> Any:
    return page.locator(f"{where} .yj-member-status__item").filter(
        has=page.locator(".yj-member-status__name", has_text=re.compile(f"^{re.escape(name)}$"))
    )


def continue_(page: Any) -> None:
    url = page.url
    page.get_by_role("button", name="保存并继续", exact=True).click()
    page.wait_for_load_state()
    if page.url == url:
        summary = page.locator(".yj-error-summary")
        texts = summary.all_inner_texts() if summary.count() else []
        raise AssertionError(f"stayed on {url}: {texts}")


def test_newborn_bundle_end_to_end_with_live_member_eligibility(
    site: Any, new_context: Any, shot: Any
) -> None:
    assert site.has_bundle, "matters/newborn-bundle must be in the browser tests' root"
    values = answers()
    page = new_context().new_page()
    page.goto(f"/matters/{BUNDLE}")
    page.get_by_role("button", name="在线申请").first.click()
    page.wait_for_url(re.compile(r"/drafts/[^/]+/situation$"))

    seen: list[str] = []
    while not page.url.endswith("/review"):
        page_id = page.url.split("?")[0].rsplit("/", 1)[1]
        assert page_id not in seen, f"{page_id} came back after {seen}"
        seen.append(page_id)
        no_horizontal_scroll(page)
        if page_id == "bundle-optional":
            # ticked without a bank card: the banner at once says that this member does not
            # qualify, and why; the required members stay 符合条件
            expect(member_row(page, MATERNITY_NAME)).to_have_count(0)
            page.get_by_label(re.compile("^生育医疗费用报销")).check()
            row = member_row(page, MATERNITY_NAME)
            expect(row).to_contain_text("暂不符合")
            expect(row).to_contain_text(R7_MESSAGE)
            expect(member_row(page, "出生医学证明首次签发")).to_contain_text("符合条件")
            expect(page.locator("#eligibility")).to_contain_text("部分事项暂不符合条件")
            shot(page, "bundle-journey-01-optional-not-eligible")
        if page_id == f"{MATERNITY}.bank":
            row = member_row(page, MATERNITY_NAME)
            expect(row).to_contain_text("暂不符合")
            bank_name = page.locator('[name="mother.bank_name"]')
            expect(bank_name).to_be_hidden()
            fill_field(page, "mother.bank_card", values["mother.bank_card"])
            # the card typed: the row flips to 符合条件 and the bank's name is asked, live
            expect(row).to_contain_text("符合条件")
            expect(row).not_to_contain_text(R7_MESSAGE)
            expect(bank_name).to_be_visible()
            shot(page, "bundle-journey-02-bank-card-eligible")
        fill_page(page, values)
        continue_(page)

    # every page the citizen needed, in order, and nothing else
    assert seen == [
        "situation",
        "bundle-optional",
        "shared-child",
        "shared-parents",
        "birth-medical-certificate.child",
        "vaccination-certificate.vaccination",
        "birth-registration.parents",
        "birth-registration.registration",
        "resident-medical-insurance.insurance",
        "social-security-card.card",
        f"{MATERNITY}.bank",
        "shared-declaration",
    ]
    expect(page.get_by_role("heading", level=1, name="核对您的申请")).to_be_visible()
    no_horizontal_scroll(page)
    rows = page.locator("#eligibility .yj-member-status__item")
    expect(rows).to_have_count(6)
    for name in SUB_CASES:
        expect(member_row(page, name)).to_contain_text("符合条件")
    names = page.locator("main .yj-material__name").evaluate_all(
        "els => els.map(e => e.firstChild.textContent.trim())"
    )
    assert len(names) == len(set(names)) == 9, names  # one set, each once
    certificate = page.locator("main .yj-material").filter(
        has_text=re.compile("^\\s*✓?\\s*出生医学证明")
    )
    expect(certificate).to_contain_text("免提交")  # passed along from 出生医学证明首次签发
    shot(page, "bundle-journey-03-review")

    page.get_by_role("button", name="提交申请").click()
    page.wait_for_url(re.compile(r"/cases/\d{20}$"))
    case_no = page.url.rsplit("/", 1)[1]
    expect(page.get_by_role("heading", name="申请已提交")).to_be_visible()
    expect(page.get_by_role("heading", name="包含的事项")).to_be_visible()
    items = page.locator("main h2:has-text('包含的事项') + ul > li")
    expect(items).to_have_count(len(SUB_CASES))
    for i, name in enumerate(SUB_CASES, start=1):
        expect(items.nth(i - 1)).to_contain_text(f"{name}（{case_no}-{i:02d}）")
        expect(items.nth(i - 1)).to_contain_text("已提交")
    no_horizontal_scroll(page)
    shot(page, "bundle-journey-04-case")
    # the back office takes it from here to the joint result
    life(site, new_context, shot, page, case_no)
