"""`yijian test` checks a bundle case's `deadline` against the application's own plan (the
members it includes), not the bundle's worst case (issue 9 item 5)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from yijian.defs.cases import Case
from yijian.tools.casetest import check_case, collect

REPO = Path(__file__).resolve().parents[1]


def test_the_deadline_of_a_case_is_its_own_plan() -> None:
    snap, runs, _errors = collect(REPO, "matters/newborn-bundle")
    assert snap is not None and runs and all(r.ok for r in runs), [r.report() for r in runs]
    by_name = {r.case.name: r.case for r in runs}
    short = next(c for n, c in by_name.items() if n.startswith("5 2025-09-30"))
    long = by_name["可选事项全部勾选：生育医疗费用报销（填写银行卡）和科学育儿指导登记一并办理"]
    assert short.expect.deadline == date(2025, 10, 11)  # 3 working days over National Day
    assert long.expect.deadline == date(2025, 10, 14)  # 5: 生育医疗费用报销 ticked
    bundle = snap.matter("newborn-bundle")
    worst = short.model_copy(
        update={"expect": short.expect.model_copy(update={"deadline": date(2025, 10, 14)})}
    )
    assert isinstance(worst, Case)
    problems = check_case(bundle, snap, worst)
    assert problems == [
        "deadline: expected 2025-10-14, got 2025-10-11 (this application's promise: 3 个工作日)"
    ], problems
