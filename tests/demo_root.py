"""A small complete definitions root written into a temp folder, exercising every rule site."""

from __future__ import annotations

import shutil
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

MATTER = """
code: "DEMO-001"
name: 演示事项
kind: 行政给付
themes: [演示]
service_objects: [自然人]
department: {name: 县民政局}
legal_basis: [{name: 《演示条例》, article: 第一条}]
time_limits: {legal: {days: 20}, promised: {days: 5}}
case_type: 承诺件
visits: 0
handle_forms: [网上]
result: {type: 出文办结, name: 给付决定书}
service: {place: 县政务服务中心, hours: 工作日, phone: "12345", supervision: "12345"}
materials:
  - {id: id_copy, name: 身份证, source: 电子证照, licence_type: 居民身份证}
  - {id: income_proof, name: 收入证明}
  - {id: disability_card, name: 残疾人证}
  - {id: optional_photo, name: 照片, necessity: 非必要}
situations:
  - {id: disabled, name: 残疾人, materials: [disability_card]}
"""

FORM = """
pages:
  - id: who
    title: 申请人
    fields:
      - {use: person.name, key: applicant.name, required: true}
      - {use: person.id_number, key: applicant.id_number, required: true}
      - {key: applicant.disabled, type: boolean, label: 是否残疾人, required: true}
      - key: applicant.income
        type: money
        label: 月收入
        required: {"!==": [{"var": "applicant.disabled"}, true]}
        visible_if: {"!==": [{"var": "applicant.disabled"}, true]}
        validations:
          - rule: {"<": [{"var": "applicant.income"}, 100000]}
            message: 月收入填写有误
  - id: family
    title: 家庭成员
    visible_if: {"==": [{"var": "applicant.disabled"}, true]}
    fields:
      - key: members
        type: repeat
        label: 家庭成员
        item_label: 成员
        min_items: 1
        max_items: 3
        fields:
          - {key: name, type: text, label: 姓名, required: true}
          - key: age
            type: number
            label: 年龄
            required: true
            validations:
              - rule: {"<": [{"var": "row.age"}, 120]}
                message: 年龄填写有误
"""

RULES = """
parameters:
  income_limit:
    description: 月收入上限（元）
    values:
      - {from: 2024-01-01, value: 1000}
      - {from: 2025-07-01, value: 1200}
derived:
  - key: applicant.age
    rule: {id_card_age: [{"var": "applicant.id_number"}, {"var": "context.today"}]}
  - key: applicant.adult
    rule: {">=": [{"var": "applicant.age"}, 18]}
eligibility:
  - id: adult
    name: 年满 18 周岁
    when: {"var": "applicant.adult"}
    message: 申请人须年满 18 周岁
    applies_if: {"!==": [{"var": "applicant.age"}, null]}
  - id: income
    name: 收入低于标准
    when: {"<=": [{"var": "applicant.income"}, {"var": "params.income_limit"}]}
    message: 月收入高于当地标准
    effect: warn
    applies_if: {"!==": [{"var": "applicant.income"}, null]}
materials:
  income_proof: {"!==": [{"var": "applicant.disabled"}, true]}
situations:
  disabled: {"==": [{"var": "applicant.disabled"}, true]}
"""

ROUTING = """
steps:
  - {id: accept, name: 受理, kind: accept, time_limit: 1}
  - {id: review, name: 审查, kind: review, time_limit: 3, after: [accept]}
  - id: visit
    name: 入户调查
    kind: inspect
    time_limit: 2
    after: [accept]
    when: {"==": [{"var": "applicant.disabled"}, true]}
  - {id: decide, name: 决定, kind: decide, time_limit: 1, after: [review, visit]}
"""


def make_root(base: Path, **override: str) -> Path:
    """A root with forms/ and rules/ of the repository and the demo matter (files overridable)."""
    shutil.copytree(REPO / "forms", base / "forms", dirs_exist_ok=True)
    shutil.copytree(REPO / "rules" / "calendar", base / "rules" / "calendar", dirs_exist_ok=True)
    folder = base / "matters" / "demo"
    folder.mkdir(parents=True, exist_ok=True)
    files = {"matter.yaml": MATTER, "form.yaml": FORM, "rules.yaml": RULES, "routing.yaml": ROUTING}
    files.update({k.replace("_", ".", 1) if "." not in k else k: v for k, v in override.items()})
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return base
