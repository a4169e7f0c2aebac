"""The receipt is built from the application's own plan: only the members it includes, only
steps whose condition held, its own deadline, and not the materials the bundle itself will
produce (issue 9 item 5, issue 15 item 4)."""

from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "office"))

from taskfixtures import NEWBORN, case_answers, services, submitted

from yijian.documents.receipt_inputs import receipt_inputs
from yijian.store import FileRef


def test_the_receipt_follows_the_application_not_the_bundle(tmp_path: Path) -> None:
    s = services(tmp_path)
    answers = case_answers(NEWBORN)  # no optional member, 网点自取 for the card
    case = s.store.cases.get(submitted(s, NEWBORN, answers))
    m = s.registry.current.matter(NEWBORN)
    got = receipt_inputs(case, m, [], s.registry.current.calendar, site_name="测试")
    assert "审核报销费用" not in got["steps"]  # 生育医疗费用报销 was not chosen
    assert not any("邮寄" in step for step in got["steps"])  # 网点自取
    assert "制卡" in got["steps"]
    names = [x["name"] for x in got["materials"]]
    assert "出生医学证明" not in names and "母亲居民身份证" in names  # produced, not received
    assert got["deadline"].working_days == 3 and got["deadline"].due.isoformat() == "2025-09-25"
    assert case.summary["promised_days"] == 3 and case.summary["deadline"] == "2025-09-25"


def test_received_materials_say_how_they_came(tmp_path: Path) -> None:
    """Uploaded files are counted, fetched ones say so, and one the applicant has not brought
    yet (no file, 申请人自备) is not 已收."""
    s = services(tmp_path)
    case = s.store.cases.get(submitted(s, NEWBORN, case_answers(NEWBORN)))
    materials = [
        *case.summary["materials"],
        {"id": "bank_card_info", "name": "银行卡信息", "source": "申请人自备"},
        {"id": "scan", "name": "户口簿扫描件", "source": "申请人自备"},
    ]
    case = replace(case, summary={**case.summary, "materials": materials})
    files = [FileRef(f"{i}", 1, "image/jpeg", f"{i}.jpg", "scan", f"f{i}") for i in range(2)]
    got = receipt_inputs(case, None, files, s.registry.current.calendar, site_name="测试")
    rows = {x["name"]: x["detail"] for x in got["materials"]}
    assert rows["户口簿扫描件"] == "电子文件 2 份" and "银行卡信息" not in rows
    assert rows["母亲居民身份证"] == "电子证照调取" and rows["助产机构分娩记录"] == "数据共享获取"
    assert "出生医学证明" not in rows
