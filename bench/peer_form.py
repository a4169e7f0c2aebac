"""The peer's form definition for bench_peer: DEFRA's forms engine, 40 fields on one page.

The same mix as ``gen_form``'s 40-field page (text, number, date, select, radio, yes/no,
checkboxes, money, multi-line text, telephone, plus the applicant block), written in the
engine's own definition format (schema V1: pages with ``path``/``next``, ``lists``, a summary
page). Every field is optional, as most of ours are, so a page POST with the benchmark's
answers passes and redirects to the next page on both sides.
"""

from __future__ import annotations

import json
from pathlib import Path

PAGE = "/applicant"
#: The answers both benchmarks post: (ours, the peer's) field names with one value each.
LIST = "options"
INTRO = "<p class='govuk-body'>请如实填写以下信息，带“选填”的可以不填。</p>"


def field_name(i: int) -> str:
    """The engine takes letters only in a name: field i is q + two letters (qaa, qab …)."""
    return "q" + chr(97 + i // 26) + chr(97 + i % 26)


def _component(i: int) -> dict[str, object]:
    """Field ``i`` of the 32 generated ones, in the order and kinds of ``gen_form._field``."""
    kind = i % 10
    name = field_name(i)
    types = [
        ("TextField", f"文本问题第{i}号"),
        ("NumberField", f"数量第{i}号"),
        ("DatePartsField", f"日期第{i}号"),
        ("SelectField", f"下拉选择第{i}号"),
        ("RadiosField", f"单选第{i}号"),
        ("YesNoField", f"是否问题第{i}号"),
        ("CheckboxesField", f"多选第{i}号"),
        ("NumberField", f"金额第{i}号"),
        ("MultilineTextField", f"说明第{i}号"),
        ("TelephoneNumberField", f"联系电话第{i}号"),
    ]
    kind_name, title = types[kind]
    out: dict[str, object] = {
        "name": name,
        "type": kind_name,
        "title": title,
        "options": {"required": False},
        "schema": {},
    }
    if kind == 0:
        out["hint"] = "请按证件填写"
    if kind in (3, 4, 6):
        out["list"] = LIST
    return out


FIXED = [
    ("name", "TextField", "姓名"),
    ("idnumber", "TextField", "公民身份号码"),
    ("province", "SelectField", "户籍所在地（省）"),
    ("city", "SelectField", "户籍所在地（市）"),
    ("income", "NumberField", "家庭月收入"),
    ("hasproof", "YesNoField", "是否已有相关证明"),
    ("proofno", "TextField", "证明编号"),
    ("contact", "TelephoneNumberField", "联系手机号码"),
]

#: A page POST's answers (about a dozen filled, the rest empty, as in bench_web's FILLED).
ANSWERS = {
    "name": "张三",
    "idnumber": "11010519491231002X",
    "province": "o1",
    "city": "o2",
    "income": "4200",
    "hasproof": "true",
    "proofno": "ZM-2025-0001",
    "contact": "13800138000",
    "qaa": "文本答案",
    "qab": "12",
    "qad": "o2",
    "qaf": "false",
}


def definition() -> dict[str, object]:
    fixed = [
        {
            "name": n,
            "type": t,
            "title": title,
            "options": {"required": False},
            "schema": {},
            **({"list": LIST} if t == "SelectField" else {}),
        }
        for n, t, title in FIXED
    ]
    components = fixed + [_component(i) for i in range(32)]
    return {
        "name": "基准测试事项申请表",
        "startPage": PAGE,
        "pages": [
            {
                "title": "申请人及家庭情况",
                "path": PAGE,
                "components": [
                    {
                        "name": "intro",
                        "type": "Html",
                        "title": "说明",
                        "content": INTRO,
                        "options": {},
                        "schema": {},
                    },
                    *components,
                ],
                "next": [{"path": "/summary"}],
            },
            {"title": "检查您的回答", "path": "/summary", "controller": "SummaryPageController"},
        ],
        "lists": [
            {
                "name": LIST,
                "title": "选项",
                "type": "string",
                "items": [{"text": f"选项{j}", "value": f"o{j}"} for j in range(1, 4)],
            }
        ],
        "sections": [],
        "conditions": [],
    }


def write(folder: Path) -> Path:
    """The definition as ``folder/bench-peer.json`` (the file name is the form's slug)."""
    path = folder / "bench-peer.json"
    path.write_text(json.dumps(definition(), ensure_ascii=False, indent=1), encoding="utf-8")
    return path
