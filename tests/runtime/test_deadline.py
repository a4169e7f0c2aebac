"""The one promised-deadline function, and the receipt that now uses it."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from demo_root import MATTER, make_root
from yijian.defs.common import TimeUnit
from yijian.documents.receipt import receipt_html
from yijian.documents.receipt_inputs import receipt_inputs
from yijian.registry import Registry
from yijian.runtime.deadline import PromisedLimit, deadline_from, promised_deadline, promised_limit
from yijian.store import Case

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def snapshot():
    reg = Registry(REPO)
    snap = reg.load()
    assert snap is not None, reg.last_errors
    return snap


def test_working_days_across_national_day(snapshot) -> None:
    # reference §6.7 case 5: accepted Tue 2025-09-30, 5 working days; 10/1-8 off,
    # 10/9=1, 10/10=2, Sat 10/11 (make-up day)=3, 10/13=4, 10/14=5
    assert deadline_from(date(2025, 9, 30), PromisedLimit(5), snapshot.calendar) == date(
        2025, 10, 14
    )


def test_working_days_across_spring_festival(snapshot) -> None:
    # §6.7 case 6: Fri 2026-02-13, 5 working days; Sat 2/14 (make-up)=1, 2/15-23 off,
    # 2/24=2, 2/25=3, 2/26=4, 2/27=5
    assert deadline_from(date(2026, 2, 13), PromisedLimit(5), snapshot.calendar) == date(
        2026, 2, 27
    )


def test_natural_days_ignore_holidays() -> None:
    # 10 自然日 from 2025-09-30: counting starts 10/1, the tenth day is 10/10, holiday or not
    limit = PromisedLimit(10, TimeUnit.自然日)
    assert deadline_from(date(2025, 9, 30), limit, None) == date(2025, 10, 10)
    assert limit.text() == "10 个自然日"


def test_immediate_and_missing_calendar() -> None:
    assert PromisedLimit(0).text() == "即办（当场办结）"
    with pytest.raises(LookupError):
        deadline_from(date(2025, 9, 30), PromisedLimit(5), None)


def test_bundle_limit_comes_from_its_plan(snapshot) -> None:
    bundle = next(m for m in snapshot.matters.values() if m.kind == "bundle")
    limit = promised_limit(bundle)
    assert limit is not None and limit.workdays
    assert limit.days == bundle.extra.get("promised_days", bundle.definition.promised_days)
    start = date(2026, 3, 2)
    assert promised_deadline(bundle, start, snapshot.calendar) == snapshot.calendar.add_workdays(
        start, limit.days
    )


def _case(matter_id: str, version: str) -> Case:
    return Case(
        "44200020250930000001",
        None,
        "d",
        1,
        matter_id,
        version,
        {"applicant": {"name": "赵六", "id_number": "11010119900307123X"}},
        {"matter_name": "演示事项"},
        "submitted",
        "2025-09-30T10:03:00+08:00",
    )


def test_receipt_counts_natural_days_for_a_natural_day_limit(tmp_path: Path) -> None:
    natural = MATTER.replace("promised: {days: 5}", "promised: {days: 10, unit: 自然日}")
    root = make_root(tmp_path, matter_yaml=natural)
    reg = Registry(root)
    snap = reg.load()
    assert snap is not None, reg.last_errors
    m = next(iter(snap.matters.values()))
    inputs = receipt_inputs(_case(m.id, m.version), m, [], snap.calendar, site_name="一件")
    # before: 10 working days from 2025-09-30 → 2025-10-22, printed as "10 个工作日"
    assert inputs["deadline"].due == date(2025, 10, 10)
    html = receipt_html(**inputs)
    assert "10 个自然日" in html and "工作日" not in html.split("承诺办结时限")[1][:80]
