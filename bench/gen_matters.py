"""Generate N realistic matter folders for the load and reload benchmarks.

Each matter is modelled on ``matters/birth-medical-certificate/``: about 80 lines over
matter.yaml, form.yaml (with ``use:`` library fields), rules.yaml (eligibility, a derived
value, a material condition) and routing.yaml. Texts vary per matter so that no two files
hash alike — a benchmark where every file had the same content would only measure the cache.
The texts avoid placeholder words (示例…) and set ``online_depth``: a reviewed catalog has no
warnings, and each located warning costs a second composition of its file (docs/performance.md).

    python bench/gen_matters.py OUT_ROOT 2000   # writes OUT_ROOT/matters/, copies forms/, rules/
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEPTS = ["县卫生健康局", "县民政局", "县人力资源和社会保障局", "县市场监督管理局", "县公安局"]

MATTER = """\
# 示例事项 {i}: generated for benchmarks
code: "4420000000000-BENCH-{i:05d}"
name: 基准事项第{i}号（{dept}）
short_name: 基准{i}
kind: 公共服务
themes: [出生]
service_objects: [自然人]
department:
  name: {dept}
level: 县级
legal_basis:
  - name: 《基准条例》
    article: 第{art}条
accept_conditions:
  - 申请人为本县常住居民（第{i}号）
time_limits:
  legal: {{days: {legal}}}
  promised: {{days: {promised}}}
case_type: 承诺件
visits: 0
handle_forms: [窗口, 网上]
online_depth: [互联网咨询, 收件, 预审, 受理, 办理, 办理结果信息反馈]
fee: {{charged: false}}
result:
  type: 其他
  name: 办理结果告知书{i}
service:
  place: 县政务服务中心{win}号窗口
  hours: 工作日 8:30-12:00，14:30-17:30
  phone: "12345"
  supervision: 县政务服务管理局监督电话 12345
materials:
  - id: id_card
    name: 申请人居民身份证
    source: 电子证照
    licence_type: 居民身份证
  - id: proof
    name: 相关证明材料{i}
    necessity: 容缺后补
"""

#: The applicant's name and 身份证号 from the forms/ library, as most real forms open; gen_form
#: starts its page with them too. No braces: it is pasted into texts that are ``str.format``-ed.
APPLICANT_FIELDS = """\
      - use: person.name
        key: applicant.name
        label: 申请人姓名
        required: true
      - use: person.id_number
        key: applicant.id_number
        label: 申请人公民身份号码
        required: true
"""

FORM = (
    """\
title: 基准事项第{i}号申请表
pages:
  - id: applicant
    title: 申请人信息
    fields:
"""
    + APPLICANT_FIELDS
    + """\
      - use: person.phone
        key: applicant.phone
        label: 联系手机号码
        required: true
      - key: applicant.income
        type: number
        label: 家庭月收入（第{i}号）
        unit: 元
        min: 0
        max: 1000000
        required: true
      - key: applicant.has_proof
        type: boolean
        label: 是否已有相关证明
        required: true
        validations:
          - rule: {{"!=": [{{"var": "applicant.has_proof"}}, null]}}
            message: 请选择是否已有相关证明
"""
)

RULES = """\
derived:
  - key: income_ok
    rule: {{"<=": [{{"var": "applicant.income"}}, {limit}]}}
eligibility:
  - id: R1
    name: 收入条件
    when: {{"var": "income_ok"}}
    message: 家庭月收入超过 {limit} 元，不符合第{i}号事项条件。
    applies_if: {{"!==": [{{"var": "applicant.income"}}, null]}}
  - id: R2
    name: 身份证号有效
    when: {{"!=": [{{"var": "applicant.id_number"}}, ""]}}
    message: 请填写有效的公民身份号码。
materials:
  proof: {{"!": {{"var": "applicant.has_proof"}}}}
"""

ROUTING = """\
steps:
  - id: accept
    name: 受理
    kind: accept
    time_limit: 0
  - id: decide
    name: 审核决定（第{i}号）
    kind: decide
    time_limit: {promised}
    after: [accept]
"""


def files_for(i: int) -> dict[str, str]:
    """The four files of matter ``i``; deterministic, so the same ``i`` gives the same bytes."""
    promised = 1 + i % 10
    values = {
        "i": i,
        "dept": DEPTS[i % len(DEPTS)],
        "art": 1 + i % 60,
        "win": 1 + i % 30,
        "legal": promised + 5,
        "promised": promised,
        "limit": 3000 + (i % 50) * 100,
    }
    return {
        "matter.yaml": MATTER.format(**values),
        "form.yaml": FORM.format(**values),
        "rules.yaml": RULES.format(**values),
        "routing.yaml": ROUTING.format(**values),
    }


def copy_library(root: Path) -> None:
    """Copy the repo's forms/ and rules/ into ``root``: the matters ``use:`` its library fields
    and call its rule functions, so a root without them would not even load."""
    for name in ("forms", "rules"):
        if not (root / name).exists():
            # not org.yaml: the generated departments are not the example county's
            ignore = shutil.ignore_patterns("__pycache__", "org.yaml")
            shutil.copytree(REPO / name, root / name, ignore=ignore)


def write_folder(folder: Path, files: dict[str, str]) -> Path:
    """Write one matter folder: ``files`` maps each file name to its text."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def generate(root: Path, count: int) -> list[Path]:
    """Write ``count`` matters under ``root/matters`` and copy the repo's forms/ and rules/."""
    copy_library(root)
    return [write_folder(root / "matters" / f"bench-{i:05d}", files_for(i)) for i in range(count)]


if __name__ == "__main__":
    generate(Path(sys.argv[1]), int(sys.argv[2]))
