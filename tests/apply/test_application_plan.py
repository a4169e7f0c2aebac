"""One plan per application (issue 9 item 5): a bundle application is promised the longest
path over the members it includes, and each member is due at its place in that plan."""

from __future__ import annotations

import sys
from datetime import date, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "office"))

from taskfixtures import MONDAY, NEWBORN, case_answers, services, submitted

from yijian.calendar.clock import CHINA_TZ
from yijian.documents.receipt_inputs import receipt_inputs

#: cases.yaml of the newborn bundle: case 1 (no optional member, Monday 2025-09-22) and
#: "可选事项全部勾选" (Tuesday 2025-09-30, before the National Day holiday)
WITHOUT, WITH = 0, 6
TUESDAY = datetime(2025, 9, 30, 10, 0, tzinfo=CHINA_TZ)


def _case(tmp_path: Path, index: int):
    s = services(tmp_path, MONDAY if index == WITHOUT else TUESDAY)
    case = s.store.cases.get(submitted(s, NEWBORN, case_answers(NEWBORN, index)))
    assert case is not None
    return s, case


def test_an_optional_long_member_not_ticked_is_not_promised(tmp_path: Path) -> None:
    s, case = _case(tmp_path, WITHOUT)
    bundle = s.registry.current.matter(NEWBORN)
    assert bundle.extra["promised_days"] == 5  # the bundle's worst case, with 生育医疗费用报销
    assert "maternity-medical-reimbursement" not in {c.matter_id for c in case.children}
    # 出生登记 2 + 参保登记 1, accepted Monday 2025-09-22
    assert case.summary["promised_days"] == 3 and case.summary["deadline"] == "2025-09-25"
    got = receipt_inputs(case, bundle, [], s.registry.current.calendar, site_name="测试")
    assert got["deadline"].working_days == 3 and got["deadline"].due == date(2025, 9, 25)


def test_the_optional_long_member_ticked_is_promised(tmp_path: Path) -> None:
    s, case = _case(tmp_path, WITH)
    assert "maternity-medical-reimbursement" in {c.matter_id for c in case.children}
    # 审核报销费用 3 + 支付 2 from 2025-09-30: 10/9, 10/10, the make-up Saturday 10/11, 10/13, 10/14
    assert case.summary["promised_days"] == 5 and case.summary["deadline"] == "2025-10-14"
    bundle = s.registry.current.matter(NEWBORN)
    got = receipt_inputs(case, bundle, [], s.registry.current.calendar, site_name="测试")
    assert got["deadline"].working_days == 5 and got["deadline"].due == date(2025, 10, 14)
    assert "审核报销费用" in got["steps"] and "支付" in got["steps"]


def test_each_member_is_due_at_its_place_in_the_plan(tmp_path: Path) -> None:
    """参保登记 promises 1 working day on its own but waits for 出生登记 (2): in the bundle it
    is due after it, on day 3, and no member is due after the application's promise."""
    _s, case = _case(tmp_path, WITH)
    due = {c.matter_id: (c.summary["promised_days"], c.summary["deadline"]) for c in case.children}
    assert due["birth-medical-certificate"] == (0, "2025-09-30")
    assert due["birth-registration"] == (2, "2025-10-10")
    assert due["resident-medical-insurance"] == (3, "2025-10-11")
    assert due["social-security-card"] == (3, "2025-10-11")  # 制卡, 邮寄 do not count
    assert due["maternity-medical-reimbursement"] == (5, "2025-10-14")
    assert due["resident-medical-insurance"][1] >= due["birth-registration"][1]
    assert max(d for d, _ in due.values()) == case.summary["promised_days"]
