"""Checking one answer against its field type: the inline messages citizens read, in Chinese.

Pure functions, shared by the form runtime (per page), submission (whole form) and
``yijian test``. A message names the field and says what to do, as GOV.UK's error patterns do.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from yijian.defs.form import FieldType
from yijian.rules.builtins import cnid
from yijian.runtime.regions import RegionTable

_MONEY = re.compile(r"^-?\d+(\.\d{1,2})?$")

#: Types whose answer is a code with a check digit, the validator that rules also call (so a
#: form and a rule never disagree on a number), and what the citizen should check.
_CODES: dict[FieldType, tuple[Callable[[Any], bool], str]] = {
    FieldType.id_card: (cnid.id_card_valid, "请核对 18 位公民身份号码（最后一位可能是 X）"),
    FieldType.phone: (cnid.mobile_valid, "请输入 11 位手机号码"),
    FieldType.uscc: (cnid.uscc_valid, "请核对 18 位统一社会信用代码"),
    FieldType.bank_card: (cnid.bank_card_valid, "请核对银行卡号"),
}


def _date(value: str) -> date | None:
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def empty_message(ftype: FieldType, label: str) -> str:
    if ftype in (FieldType.select, FieldType.radio, FieldType.region, FieldType.boolean):
        return f"请选择{label}"
    if ftype == FieldType.checkboxes:
        return f"请至少选择一项{label}"
    if ftype == FieldType.file:
        return f"请上传{label}"
    if ftype == FieldType.declaration:
        return "请阅读并勾选承诺"
    if ftype == FieldType.repeat:
        return f"请至少添加一项{label}"
    return f"请填写{label}"


def check_value(spec: Any, value: Any) -> str | None:
    """The message for a non-empty ``value`` that does not fit ``spec`` (a FieldSpec), or None."""
    f = spec.definition
    t = spec.type
    label = spec.label
    text = value if isinstance(value, str) else None
    if t in (FieldType.text, FieldType.textarea, FieldType.address):
        if not isinstance(value, str):
            return f"{label}格式不正确"
        if f.max_length and len(value) > f.max_length:
            return f"{label}不能超过 {f.max_length} 个字"
        if f.min_length and len(value) < f.min_length:
            return f"{label}至少 {f.min_length} 个字"
    elif t in (FieldType.number, FieldType.money):
        digits = str(value).strip().replace(",", "")
        try:
            n = Decimal(digits)
        except InvalidOperation:
            return f"{label}必须是数字"
        if not n.is_finite():
            return f"{label}必须是数字"
        if t == FieldType.money and not _MONEY.match(digits):
            return f"{label}最多保留两位小数"
        if f.min is not None and n < Decimal(str(f.min)):
            return f"{label}不能小于 {f.min:g}"
        if f.max is not None and n > Decimal(str(f.max)):
            return f"{label}不能大于 {f.max:g}"
    elif t == FieldType.date:
        if text is None or _date(text) is None:
            return f"{label}必须是有效日期，例如 2025-09-30"
    elif t == FieldType.datetime:
        try:
            datetime.fromisoformat(str(value))
        except ValueError:
            return f"{label}必须是有效的日期和时间，例如 2025-09-30 08:30"
    elif t in (FieldType.select, FieldType.radio):
        if str(value) not in {o.value for o in spec.options}:
            return f"请从列表中选择{label}"
    elif t == FieldType.checkboxes:
        allowed = {o.value for o in spec.options}
        if not isinstance(value, list) or not all(str(v) in allowed for v in value):
            return f"请从列表中选择{label}"
    elif t in _CODES:
        valid, fix = _CODES[t]
        if not valid(value):
            return f"{label}不正确，{fix}"
    elif t == FieldType.region:
        return region_message(label, f.region_level, value)
    elif t == FieldType.boolean and value not in (True, False, "true", "false"):
        return f"请选择{label}"
    elif t == FieldType.declaration and value not in (True, "true", "on", "1"):
        return "请阅读并勾选承诺"
    return None


REGION_LEVELS = ("province", "city", "county")


def region_message(label: str, level: str, value: Any) -> str | None:
    """A 行政区划 answer must be a known code, down to the field's ``region_level`` where the
    table has that level (东莞、中山 have no counties; 直辖市 have no cities)."""
    table = RegionTable.load()
    if not isinstance(value, str) or not table.is_valid(value):
        return f"请选择{label}"
    have = REGION_LEVELS.index(table.level(value))
    if have < REGION_LEVELS.index(level) and table.children(value):
        return f"请选择{label}的{'市' if have == 0 else '区（县）'}"
    return None
