"""Generate two matters of the same page shape for bench_bigform: 20 fields and 200 fields.

Issue 14, item 3: a form of 200 fields over 40 pages, with repeat groups and 100 rules, must
answer as fast as a 20-field one. Both matters have pages of five fields built alike (a number
whose answer shows a text field and decides an eligibility rule, a select, a date, and a yes/no
or, on every fourth page, a repeat group of two columns), so a page of either weighs the same
and only the size of the whole matter differs:

* ``bench-small``: 4 pages, 20 fields, 10 rules (4 ``visible_if``, 2 derived, 4 eligibility);
* ``bench-big``: 40 pages, 200 fields (10 repeat groups), 100 rules (40 ``visible_if``,
  20 derived values, 40 eligibility rules).

Derived values and eligibility rules read answers of other pages (``p{i}`` and ``p{i+1}``), so
each answer matters to rules beyond its own page, as in a real long form.

    python bench/gen_bigform.py OUT_ROOT   # writes OUT_ROOT/matters/bench-small, bench-big
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from gen_matters import MATTER, ROUTING, copy_library, write_folder

SMALL, BIG = "bench-small", "bench-big"
PAGES = {SMALL: 4, BIG: 40}
DERIVED = {SMALL: 2, BIG: 20}


def change_field(page: int) -> str:
    """The number whose change the benchmark posts (it shows a field and flips a rule)."""
    return f"p{page:02d}.amount"


def _page(i: int) -> str:
    key = f"p{i:02d}"
    last = (
        f"""      - key: {key}.members
        type: repeat
        label: 家庭成员（第{i}页）
        item_label: 家庭成员
        max_items: 5
        fields:
          - key: name
            type: text
            label: 姓名
          - key: income
            type: number
            label: 月收入
            unit: 元
            min: 0
"""
        if i % 4 == 3
        else f"""      - key: {key}.flag
        type: boolean
        label: 是否有第{i}项情况
"""
    )
    return f"""  - id: {key}
    title: 第{i + 1}页情况
    fields:
      - key: {key}.amount
        type: number
        label: 第{i + 1}页金额
        unit: 元
        min: 0
        max: 1000000
      - key: {key}.detail
        type: text
        label: 第{i + 1}页金额较高的说明
        visible_if: {{">": [{{"var": "{key}.amount"}}, 5000]}}
      - key: {key}.kind
        type: select
        label: 第{i + 1}页类别
        options:
          - {{value: a, label: 甲类}}
          - {{value: b, label: 乙类}}
          - {{value: c, label: 丙类}}
      - key: {key}.date
        type: date
        label: 第{i + 1}页日期
{last}"""


def _rules(pages: int, derived: int) -> str:
    out = ["derived:"]
    for i in range(derived):
        a, b = f"p{i:02d}.amount", f"p{(i + 1) % pages:02d}.amount"
        out.append(f"""  - key: sum{i:02d}
    rule: {{"+": [{{"var": "{a}"}}, {{"var": "{b}"}}]}}""")
    out.append("eligibility:")
    for i in range(pages):
        a = f"p{i:02d}.amount"
        name = f"sum{i % derived:02d}"
        out.append(f"""  - id: R{i:02d}
    name: 第{i + 1}页金额条件
    when: {{"<=": [{{"var": "{a}"}}, 8000]}}
    applies_if: {{"and": [{{"!==": [{{"var": "{a}"}}, null]}}, {{">=": [{{"var": "{name}"}}, 0]}}]}}
    message: 第{i + 1}页金额超过 8000 元，不符合条件。""")
    return "\n".join(out) + "\n"


def generate(root: Path) -> dict[str, Path]:
    """Write both matters under ``root/matters`` (copying forms/ and rules/)."""
    copy_library(root)
    out = {}
    for n, (name, pages) in enumerate(PAGES.items()):
        values = {"i": 9000 + n, "dept": "县民政局", "art": 1, "win": 1, "legal": 10}
        values |= {"promised": 5, "limit": 6000}
        form = f"title: {name} 基准测试表\npages:\n" + "".join(_page(i) for i in range(pages))
        files = {
            "matter.yaml": MATTER.format(**values),
            "form.yaml": form,
            "rules.yaml": _rules(pages, DERIVED[name]),
            "routing.yaml": ROUTING.format(**values),
        }
        out[name] = write_folder(root / "matters" / name, files)
    return out


if __name__ == "__main__":
    generate(Path(sys.argv[1]))
