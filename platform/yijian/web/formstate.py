"""Posted form data → answers, and answers → what the check-your-answers page shows.

Nothing a citizen typed is lost: a value that does not fit its type (``12a`` in a number, a
31st of February) is stored as typed, and the page shows it back with its message. Values that
do fit are stored typed (numbers, booleans, ISO dates) so the compiled rules compare them as
the definitions expect. Parsing is driven by the field definitions, never by the posted names,
so unknown keys are ignored and a client cannot write outside the form.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date
from typing import Any

from starlette.datastructures import FormData

from yijian.compiled.matter import FieldSpec
from yijian.defs.form import FieldType
from yijian.runtime.answers import get, is_empty, put
from yijian.runtime.regions import RegionTable

MAX_TEXT = 2000  # longer than any sensible answer; a bigger post is cut, not refused
MAX_ROWS = 200
_INT = re.compile(r"^-?\d{1,15}$")
_DEC = re.compile(r"^-?\d{1,15}\.\d{1,6}$")
RENDERED = "_f"  # hidden input naming each field rendered on the page


def _text(form: FormData, name: str) -> str | None:
    value = form.get(name)
    if value is None or not isinstance(value, str):
        return None
    return value[:MAX_TEXT]


def _number(raw: str) -> Any:
    s = raw.strip().replace(",", "")
    if _INT.match(s):
        return int(s)
    if _DEC.match(s):
        return float(s)
    return raw


def _date(form: FormData, name: str) -> Any:
    parts = {p: (_text(form, f"{name}-{p}") or "").strip()[:4] for p in ("year", "month", "day")}
    if not any(parts.values()):
        return None
    try:
        return date(int(parts["year"]), int(parts["month"]), int(parts["day"])).isoformat()
    except ValueError:
        return parts  # kept as typed; the date check reports it


def _region(form: FormData, name: str, regions: RegionTable) -> str | None:
    """The deepest chosen code whose chain is consistent (a changed province drops the city)."""
    chosen: str | None = None
    for level in range(1, 4):
        code = (_text(form, f"{name}-{level}") or "").strip()
        if not code or not regions.is_valid(code):
            break
        if regions.parent(code) != chosen:
            break
        chosen = code
    return chosen


def parse_field(spec: FieldSpec, form: FormData, name: str, regions: RegionTable) -> Any:
    """The answer for one field from the posted inputs named ``name`` (or ``name-…``)."""
    t = spec.type
    if t == FieldType.repeat:
        return parse_rows(spec, form, name, regions)
    if t == FieldType.checkboxes:
        return [v[:MAX_TEXT] for v in form.getlist(name) if isinstance(v, str)][:100]
    if t == FieldType.declaration:
        return True if _text(form, name) in ("true", "on", "1") else None
    if t == FieldType.date:
        return _date(form, name)
    if t == FieldType.region:
        return _region(form, name, regions)
    raw = _text(form, name)
    if raw is None or raw.strip() == "":
        return None
    if t == FieldType.boolean:
        return {"true": True, "false": False}.get(raw, raw)
    if t == FieldType.number:
        return _number(raw)
    if t in (FieldType.id_card, FieldType.phone, FieldType.uscc, FieldType.bank_card):
        return raw.strip()
    return raw


def row_count(spec: FieldSpec, form: FormData, name: str) -> int:
    try:
        n = int(_text(form, f"_rows.{name}") or 0)
    except ValueError:
        n = 0
    return max(0, min(n, spec.definition.max_items, MAX_ROWS))


def parse_rows(spec: FieldSpec, form: FormData, name: str, regions: RegionTable) -> list[dict]:
    rows = []
    for i in range(row_count(spec, form, name)):
        row: dict[str, Any] = {}
        for child in spec.children:
            if child.type != FieldType.info:
                put(row, child.key, parse_field(child, form, f"{name}.{i}.{child.key}", regions))
        rows.append(row)
    return rows


def rendered_keys(form: FormData) -> list[str]:
    return [k for k in form.getlist(RENDERED) if isinstance(k, str)][:500]


def apply_post(
    fields: Iterable[FieldSpec],
    form: FormData,
    answers: dict[str, Any],
    regions: RegionTable,
    only: set[str] | None = None,
) -> None:
    """Store every field the page rendered (``_f`` markers; files are uploaded separately)."""
    shown = set(rendered_keys(form)) if only is None else only
    for f in fields:
        if f.key and f.key in shown and f.type not in (FieldType.info, FieldType.file):
            put(answers, f.key, parse_field(f, form, f.key, regions))


def display(spec: FieldSpec, value: Any, regions: RegionTable) -> Any:
    """An answer as the check-your-answers page shows it (text, or a list of lines)."""
    if is_empty(value):
        return None
    t = spec.type
    labels = {o.value: o.label for o in spec.options}
    if t == FieldType.boolean:
        return {True: "是", False: "否"}.get(value, str(value))
    if t in (FieldType.select, FieldType.radio):
        return labels.get(str(value), str(value))
    if t == FieldType.checkboxes and isinstance(value, list):
        return [labels.get(str(v), str(v)) for v in value]
    if t == FieldType.declaration:
        return "已阅读并同意"
    if t == FieldType.region and regions.is_valid(value):
        return regions.full_name(value)
    if t == FieldType.file and isinstance(value, dict):
        return str(value.get("name", "已上传"))
    if t == FieldType.date and isinstance(value, str) and len(value) == 10:
        return f"{value[:4]} 年 {int(value[5:7])} 月 {int(value[8:10])} 日"
    if t == FieldType.datetime and isinstance(value, str):
        return value.replace("T", " ")
    if t == FieldType.repeat and isinstance(value, list):
        lines = []
        for i, row in enumerate(value):
            parts = [
                f"{c.label}：{display(c, get(row, c.key), regions) or '未填写'}"
                for c in spec.children
                if c.type != FieldType.info and isinstance(row, dict)
            ]
            lines.append(f"第 {i + 1} 项：" + "；".join(str(p) for p in parts))
        return lines
    if isinstance(value, dict):
        return "-".join(str(v) for v in value.values())
    if spec.definition.unit:
        return f"{value} {spec.definition.unit}"
    return str(value)
