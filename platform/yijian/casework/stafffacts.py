"""Facts a reviewer enters at a step (``routing.yaml`` ``fields:``), checked like answers.

Pure: the form's raw strings in, typed values and per-field Chinese messages out. The values
go into the step's event (``facts``), where later steps' conditions and the documents read
them; a value that does not check is never stored.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

__all__ = ["check_facts"]

MAX_TEXT = 2000


def check_facts(
    fields: Sequence[Any], raw: Mapping[str, str]
) -> tuple[dict[str, Any], dict[str, str]]:
    """(values, errors) for the step's fields; errors are keyed by fact key."""
    values: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for f in fields:
        text = str(raw.get(f.key, "") or "").strip()
        kind = str(getattr(f.type, "value", f.type))
        if not text:
            if kind == "boolean":
                values[f.key] = False
            elif f.required:
                verb = "请选择" if kind in ("select",) else "请填写"
                errors[f.key] = f"{verb}{f.label}"
            continue
        value, error = _one(f, kind, text)
        if error:
            errors[f.key] = error
        else:
            values[f.key] = value
    return values, errors


def _one(f: Any, kind: str, text: str) -> tuple[Any, str | None]:
    if kind in ("text", "textarea"):
        if len(text) > MAX_TEXT:
            return None, f"{f.label}最多 {MAX_TEXT} 字，现有 {len(text)} 字"
        return text, None
    if kind == "number":
        try:
            number = float(text)
        except ValueError:
            return None, f"{f.label}须为数字"
        if f.min is not None and number < f.min:
            return None, f"{f.label}不能小于 {f.min:g}"
        if f.max is not None and number > f.max:
            return None, f"{f.label}不能大于 {f.max:g}"
        return (int(number) if number.is_integer() else number), None
    if kind == "date":
        try:
            return date.fromisoformat(text).isoformat(), None
        except ValueError:
            return None, f"{f.label}须为日期，如 2026-12-05"
    if kind == "select":
        allowed = {o.value for o in f.options}
        if text not in allowed:
            return None, f"请从列出的选项中选择{f.label}"
        return text, None
    if kind == "boolean":
        return text in ("1", "true", "yes", "on", "是"), None
    return None, f"{f.label}的类型 {kind} 无法填写"
