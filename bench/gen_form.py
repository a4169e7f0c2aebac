"""Generate a definitions root with one matter whose first page has 40 fields, for bench_web.

The web benchmark needs a page of realistic weight (issue 3: 40 fields, about 28 KB of HTML),
with every common widget (text, number, money, date, select, radio, checkboxes, boolean,
id_card, phone, region, textarea) and a few rules that make an answer change do real work:
fields shown and required by other answers, a derived value, an eligibility rule and a
material condition. ``matter.yaml`` and ``routing.yaml`` are those of ``gen_matters`` so the
rest of the matter is as realistic as the load benchmark's.

    python bench/gen_form.py OUT_ROOT   # writes OUT_ROOT/matters/bench-form/, copies forms/, rules/
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from gen_matters import APPLICANT_FIELDS, MATTER, ROUTING, copy_library, write_folder

MATTER_ID = "bench-form"
PAGE_ID = "main"
#: The field the benchmark's htmx change posts: its answer flips a rule, a required field and
#: a material, so the change answer carries out-of-band fragments like a real one.
CHANGE_FIELD = "applicant.income"

OPTIONS = "\n".join(f"          - {{value: o{j}, label: 选项{j}}}" for j in range(1, 4))


def _field(i: int) -> str:
    """Field ``i`` of 40: the types cycle so every widget appears several times."""
    kind = i % 10
    key = f"f.q{i:02d}"
    head = f"      - key: {key}\n"
    if kind == 0:
        return (
            head
            + f"        type: text\n        label: 文本问题第{i}号\n        help: 请按证件填写\n"
        )
    if kind == 1:
        return head + (
            f"        type: number\n        label: 数量第{i}号\n        unit: 个\n"
            "        min: 0\n        max: 1000\n"
        )
    if kind == 2:
        return head + f"        type: date\n        label: 日期第{i}号\n"
    if kind == 3:
        return (
            head
            + f"        type: select\n        label: 下拉选择第{i}号\n        options:\n{OPTIONS}\n"
        )
    if kind == 4:
        return (
            head + f"        type: radio\n        label: 单选第{i}号\n        options:\n{OPTIONS}\n"
        )
    if kind == 5:
        return head + f"        type: boolean\n        label: 是否问题第{i}号\n"
    if kind == 6:
        return head + (
            f"        type: checkboxes\n        label: 多选第{i}号\n        options:\n{OPTIONS}\n"
        )
    if kind == 7:
        return head + f"        type: money\n        label: 金额第{i}号\n"
    if kind == 8:
        return head + f"        type: textarea\n        label: 说明第{i}号\n"
    return head + f"        type: phone\n        label: 联系电话第{i}号\n"


FIXED = (
    APPLICANT_FIELDS
    + """\
      - key: applicant.region
        type: region
        label: 户籍所在地
        required: true
      - key: applicant.income
        type: number
        label: 家庭月收入
        unit: 元
        min: 0
        max: 1000000
        required: true
      - key: applicant.has_proof
        type: boolean
        label: 是否已有相关证明
        required: true
      - key: applicant.proof_no
        type: text
        label: 证明编号
        visible_if: {"==": [{"var": "applicant.has_proof"}, true]}
        required: true
      - key: applicant.reason
        type: textarea
        label: 收入较高的情况说明
        visible_if: {">": [{"var": "applicant.income"}, 5000]}
        required: {">": [{"var": "applicant.income"}, 8000]}
      - key: applicant.contact
        type: phone
        label: 联系手机号码
        required: true
"""
)

FORM = """\
title: 基准测试事项申请表
pages:
  - id: main
    title: 申请人及家庭情况
    intro: 请如实填写以下信息，带“选填”的可以不填。
    fields:
{fields}  - id: declaration
    title: 承诺
    fields:
      - key: declaration.truthful
        type: declaration
        text: 本人承诺所填信息真实、准确、完整。
        required: true
"""

RULES = """\
derived:
  - key: income_ok
    rule: {"<=": [{"var": "applicant.income"}, 6000]}
eligibility:
  - id: R1
    name: 收入条件
    when: {"var": "income_ok"}
    message: 家庭月收入超过 6000 元，不符合条件。
    applies_if: {"!==": [{"var": "applicant.income"}, null]}
  - id: R2
    name: 身份证号有效
    when: {"!=": [{"var": "applicant.id_number"}, ""]}
    message: 请填写有效的公民身份号码。
materials:
  proof: {"!": {"var": "applicant.has_proof"}}
"""


def generate(root: Path) -> Path:
    """Write the matter under ``root/matters/bench-form`` (copying forms/ and rules/)."""
    copy_library(root)
    fields = FIXED + "".join(_field(i) for i in range(32))  # 8 fixed + 32 generated = 40
    values = {
        "i": 1,
        "dept": "县民政局",
        "art": 1,
        "win": 1,
        "legal": 10,
        "promised": 5,
        "limit": 6000,
    }
    files = {
        "matter.yaml": MATTER.format(**values),
        "form.yaml": FORM.format(fields=fields),
        "rules.yaml": RULES,
        "routing.yaml": ROUTING.format(**values),
    }
    return write_folder(root / "matters" / MATTER_ID, files)


if __name__ == "__main__":
    generate(Path(sys.argv[1]))
