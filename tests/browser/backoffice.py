"""The back half of the newborn bundle's life in Chromium (imported by the bundle journey,
which submits the case): the window accepts, departments work their queues at 1280 px, the
registration is refused so the members needing it drop out, the others are approved, the
window hands the results out, and the citizen at 375 px reads every result."""

from __future__ import annotations

import re
import subprocess
from typing import Any

from browsertools import yijian_command
from playwright.sync_api import expect

from yijian.web.settings import DEFAULT_REGION

PASSWORD = "browser-office-pass-1"
STAFF_VIEWPORT = {"width": 1280, "height": 900}
#: (login, role, department) made with ``yijian staff add``; this root has no org.yaml, so a
#: department is known by the name its routing uses
STAFF = (
    ("window", "clerk", None),
    ("health", "reviewer", "助产机构"),
    ("clinic", "reviewer", "出生医院或接种门诊"),
    ("police", "reviewer", "户籍地派出所"),
    ("medical", "reviewer", "县医疗保障局医保经办机构"),
    ("head", "approver", None),
)


def add_staff(site: Any) -> None:
    for login, role, dept in STAFF:
        db = site.db or str(site.root.parent / "yijian.db")
        args = ["staff", "add", "--root", str(site.root), "--db", db, "--login", login,
                "--name", f"{login} 同志", "--role", role, "--region", DEFAULT_REGION,
                "--password-stdin"]  # fmt: skip
        if dept:
            args += ["--department", dept]
        done = subprocess.run(yijian_command(*args), input=PASSWORD + "\n", capture_output=True,
                              text=True, timeout=60, check=False)  # fmt: skip
        assert done.returncode == 0, done.stdout + done.stderr


def signed_in(new_context: Any, login: str) -> Any:
    page = new_context(viewport=STAFF_VIEWPORT).new_page()
    page.goto("/staff/signin")
    page.get_by_label("登录名").fill(login)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(re.compile(r"/staff$"))
    return page


def work(page: Any, case_no: str, step: str, opinion: str, button: str = "审查通过") -> None:
    """Open the department queue, the case's task named ``step``, claim it and pass it."""
    page.goto("/staff/tasks")
    row = page.get_by_role("row").filter(has_text=case_no).filter(has_text=step)
    expect(row).to_have_count(1)
    row.get_by_role("link", name=case_no).click()
    expect(page.get_by_role("heading", level=1, name=step)).to_be_visible()
    page.get_by_role("button", name="认领").click()
    expect(page.locator("main")).to_contain_text("已认领")
    page.get_by_label(re.compile("^(审查|决定)意见")).fill(opinion)
    page.get_by_role("button", name=button).click()
    expect(page.locator("main")).to_contain_text(opinion)


def _check_code(pdf: bytes) -> str:
    done = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True)
    found = re.search(r"查验码：\s*([2-9A-HJKMNP-Z]{12})", done.stdout.decode())
    assert found, done.stdout.decode()[-500:]
    return found.group(1)


def life(site: Any, new_context: Any, shot: Any, citizen: Any, case_no: str) -> None:
    add_staff(site)
    clerk = signed_in(new_context, "window")
    clerk.goto(f"/staff/cases/{case_no}")
    clerk.get_by_role("button", name="受理", exact=True).click()
    expect(clerk.get_by_role("heading", name="后台办理环节")).to_be_visible()
    shot(clerk, "office-01-accepted-steps")

    health = signed_in(new_context, "health")
    health.goto("/staff/tasks")
    expect(health.get_by_role("row").filter(has_text=case_no)).to_have_count(1)
    shot(health, "office-02-department-queue")
    work(health, case_no, "签发出生医学证明并生成电子证照", "核对分娩记录一致，签发")
    shot(health, "office-03-task-passed")
    clinic = signed_in(new_context, "clinic")
    work(clinic, case_no, "发放预防接种证（建立预防接种电子档案）", "首针已接种，发放")

    # the registration opened only now (it needs the certificate); the head refuses it
    police = signed_in(new_context, "police")
    police.goto("/staff/tasks")
    expect(police.get_by_role("row").filter(has_text=case_no)).to_have_count(1)
    head = signed_in(new_context, "head")
    href = f"/staff/tasks/{case_no}/birth-registration/register"
    head.goto(href)
    head.get_by_label("不予许可的理由").fill("申报落户地址与户口簿记载不一致")
    head.get_by_label("法律依据").fill("《中华人民共和国户口登记条例》第七条")
    head.get_by_role("button", name="不予许可").click()
    expect(head.locator("main")).to_contain_text("不予许可")
    shot(head, "office-04-refused")

    medical = signed_in(new_context, "medical")
    medical.goto("/staff/tasks")
    # 参保登记 needs the registration: it dropped out; only the reimbursement is left
    expect(medical.get_by_role("row").filter(has_text="参保登记")).to_have_count(0)
    work(medical, case_no, "审核报销费用", "费用清单核对无误")
    work(medical, case_no, "支付", "已支付至产妇本人银行卡")

    clerk.goto(f"/staff/cases/{case_no}")
    expect(clerk.get_by_role("heading", name="综合出件")).to_be_visible()
    clerk.get_by_label("邮寄送达").check()
    clerk.get_by_label("快递单号（邮寄）").fill("SF1234567890")
    if not clerk.get_by_label("收件地址（邮寄）").input_value():
        clerk.get_by_label("收件地址（邮寄）").fill("中山市石岐街道兴中道 1 号")
    clerk.get_by_role("button", name="出件").click()
    expect(clerk.locator("main")).to_contain_text("已出件")
    shot(clerk, "office-05-delivered")

    citizen.goto(f"/cases/{case_no}")
    main = citizen.locator("main")
    expect(main).to_contain_text("已出件")
    expect(main).to_contain_text("SF1234567890")
    expect(main).to_contain_text("户口簿记载不一致")
    expect(main).to_contain_text("未获准予")
    expect(main).to_contain_text("办理结果：准予")
    shot(citizen, "office-06-citizen-results")
    # each member's decision is a document with a check code: download the refusal, check it
    link = citizen.get_by_role("link", name="下载不予行政许可决定书（PDF）")
    pdf = citizen.request.get(link.get_attribute("href"))
    assert pdf.ok and pdf.body().startswith(b"%PDF")
    issued = pdf.body()
    code = _check_code(issued)
    citizen.goto(f"/verify/{code}")
    expect(citizen.locator("main")).to_contain_text("不予行政许可决定书")
    expect(citizen.locator("main")).to_contain_text("有效")
    shot(citizen, "office-07-verify")

    # 好差评: the applicant rates the closed case once
    citizen.goto(f"/cases/{case_no}#rating")
    citizen.get_by_role("group", name="您对本次办理总体满意吗？").get_by_label(
        "不满意", exact=True
    ).check()
    citizen.get_by_label("意见和建议（可选）").fill("出生登记等待时间较长")
    citizen.get_by_role("button", name="提交评价").click()
    expect(citizen.locator("#rating")).to_contain_text("您的评价：不满意")
    shot(citizen, "office-08-rated")

    # without JavaScript, at 375 px, someone holding the file checks it at the public page
    plain = new_context(java_script=False).new_page()
    plain.goto("/verify")
    plain.get_by_label("查验码").fill(code.lower())
    plain.get_by_role("button", name="查询").click()
    expect(plain.locator("main")).to_contain_text("不予行政许可决定书")
    plain.get_by_label("选择收到的 PDF 文件").set_input_files(
        files=[{"name": "决定书.pdf", "mimeType": "application/pdf", "buffer": issued}]
    )
    plain.get_by_role("button", name="核验文件").click()
    expect(plain.locator("main")).to_contain_text("核验通过")
    shot(plain, "office-09-verify-nojs")
