"""Who applies, as the person said (issue 15 item 4): 本人 is the person the form names
(form.yaml ``applicant``), 代办 is the 代办人 with their relation, applying for that person.
The receipt, the lookup and the holder of what is issued follow the answer, not a guess; and
the bundle's receipt shows the application's own plan and delivery (checked in the PDF text)."""

from __future__ import annotations

import subprocess
import sys
from datetime import datetime
from pathlib import Path
from typing import Any

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "office"))

from taskfixtures import NEWBORN, REPO, services, submitted

from yijian.apply.lookup import progress
from yijian.calendar.clock import CHINA_TZ
from yijian.documents import render_receipt
from yijian.documents.receipt import receipt_html
from yijian.documents.receipt_inputs import applicant_of, party_of, receipt_inputs
from yijian.runtime.answers import put

BIRTH = "birth-registration"
TUESDAY = datetime(2025, 9, 30, 10, 0, tzinfo=CHINA_TZ)  # the birth cases' day
MOTHER_ID, FATHER_ID = "11010519491231002X", "440101199001011233"
AGENT = {
    "applying.mode": "代办",
    "applying.agent_name": "王大明",
    "applying.agent_id_number": "442000196203151230",
    "applying.agent_phone": "13900139000",
    "applying.relation": "父母",
}


def answers_of(matter: str, name_starts: str, **more: Any) -> dict[str, Any]:
    """The answers of the example case whose name starts so (by name: entries move), plus
    ``more`` (dotted keys)."""
    cases = yaml.safe_load((REPO / "matters" / matter / "cases.yaml").read_text("utf-8"))
    found = next(c for c in cases["cases"] if c["name"].startswith(name_starts))
    out: dict[str, Any] = {}
    for k, v in {**_flat(found["answers"]), **more}.items():
        put(out, k, v)
    return out


def _flat(data: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    out: dict[str, Any] = {}
    for k, v in data.items():
        if isinstance(v, dict):
            out |= _flat(v, f"{prefix}{k}.")
        else:
            out[f"{prefix}{k}"] = v
    return out


def test_the_applicant_is_the_parent_the_form_names(tmp_path: Path) -> None:
    """Before: the first …id_number answer (the mother's) was guessed as 申请人."""
    s = services(tmp_path, TUESDAY)
    answers = answers_of(BIRTH, "随母落家庭户", **{"applicant.role": "父亲"})
    case = s.store.cases.get(submitted(s, BIRTH, answers))
    assert case.summary["applicant"] == {"name": "李明", "id_number": FATHER_ID, "mode": "本人"}
    who = applicant_of(case)
    assert who is not None and (who.name, who.agent) == ("李明", False)
    html = receipt_html(
        **receipt_inputs(case, s.registry.current.matter(BIRTH), [], None, site_name="测试")
    )
    assert "李明" in html and "王芳" not in html and "代办" not in html


def test_an_agent_applies_for_the_parent(tmp_path: Path) -> None:
    s = services(tmp_path, TUESDAY)
    case = s.store.cases.get(submitted(s, BIRTH, answers_of(BIRTH, "随母落家庭户", **AGENT)))
    recorded = case.summary["applicant"]
    assert recorded["mode"] == "代办" and recorded["relation"] == "父母"
    assert recorded["name"] == "王大明" and recorded["party"]["name"] == "王芳"
    who = applicant_of(case)
    assert who is not None and who.agent and who.party is not None
    assert (who.name, who.relation, who.party.name) == ("王大明", "父母", "王芳")
    holder = party_of(case)  # a licence, a notice, a result document: the mother's
    assert holder is not None and (holder.name, holder.id_number) == ("王芳", MOTHER_ID)
    html = receipt_html(
        **receipt_inputs(case, s.registry.current.matter(BIRTH), [], None, site_name="测试")
    )
    for text in (
        "他人代为申请（代办）",
        "王芳（身份证件号码 110105********002X）",
        "王大明（与申请人关系：父母）",
        "442000********1230",
    ):
        assert text in html, text
    # 办件查询 answers to the number of either person, and to nothing else
    assert progress(s, case.case_no, MOTHER_ID) is not None
    assert progress(s, case.case_no, AGENT["applying.agent_id_number"]) is not None
    assert progress(s, case.case_no, FATHER_ID) is None


def test_a_bundle_member_case_has_the_application_applicant(tmp_path: Path) -> None:
    """Every member case carries the application's applicant, whoever its own form names."""
    s = services(tmp_path)
    answers = answers_of(NEWBORN, "1 满足", **{"applicant.role": "父亲"})
    case = s.store.cases.get(submitted(s, NEWBORN, answers))
    assert case.summary["applicant"]["name"] == "李明"
    assert {c.summary["applicant"]["name"] for c in case.children} == {"李明"}


def _pdf_text(tmp_path: Path, pdf: bytes) -> str:
    path = tmp_path / "receipt.pdf"
    path.write_bytes(pdf)
    done = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True)
    assert done.returncode == 0, done.stderr
    return done.stdout.decode("utf-8")


def test_bundle_receipt_pdf_follows_the_application(tmp_path: Path) -> None:
    """Optional members not chosen, 网点自取, 代办: the PDF a citizen gets says each."""
    s = services(tmp_path)
    answers = answers_of(NEWBORN, "1 满足", **AGENT)
    case = s.store.cases.get(submitted(s, NEWBORN, answers))
    m = s.registry.current.matter(NEWBORN)
    inputs = receipt_inputs(case, m, [], s.registry.current.calendar, site_name="测试")
    text = _pdf_text(tmp_path, render_receipt(**inputs))
    flat = " ".join(text.split())
    assert "他人代为申请（代办）" in flat and "王大明（与申请人关系：父母）" in flat
    assert "申请人 王芳" in flat  # the person applied for, named as 申请人
    assert "社保卡领取方式 网点自取" in flat
    assert "邮寄" not in flat  # neither the 邮寄送达 step nor an address
    assert "审核报销费用" not in flat and "科学育儿" not in flat  # optional, not chosen
    received = flat.split("已收材料", 1)[1].split("办理流程", 1)[0]
    assert "母亲居民身份证" in received and "出生医学证明" not in received  # produced later


def test_bundle_receipt_names_the_post_when_posted(tmp_path: Path) -> None:
    s = services(tmp_path)
    post = {
        "card.delivery": "邮寄",
        "card.address": "中山市石岐街道兴中道 1 号",
        "card.recipient": "王芳",
        "card.recipient_phone": "13800138000",
    }
    case = s.store.cases.get(submitted(s, NEWBORN, answers_of(NEWBORN, "1 满足", **post)))
    m = s.registry.current.matter(NEWBORN)
    inputs = receipt_inputs(case, m, [], s.registry.current.calendar, site_name="测试")
    rows = {r["label"]: r["value"] for r in inputs["rows"]}
    assert rows == {"社保卡领取方式": "邮寄", "邮寄地址": post["card.address"], "收件人": "王芳"}
    assert "邮寄送达" in inputs["steps"]
