"""Posted form data → answers, and answers → what the check-your-answers page shows.

Nothing a citizen typed is lost: a value that does not fit its type (``12a`` in a number, a
31st of February) is stored as typed, and the page shows it back with its message. Values that
do fit are stored typed (numbers, booleans, ISO dates) so the compiled rules compare them as
the definitions expect. Parsing is driven by the field definitions, never by the posted names,
so unknown keys are ignored and a client cannot write outside the form.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from starlette.datastructures import FormData

from yijian.compiled.matter import FieldSpec
from yijian.runtime.answers import get, is_empty, put
from yijian.runtime.fieldtypes import MAX_ROWS
from yijian.runtime.regions import RegionTable

__all__ = ["MAX_ROWS", "RENDERED", "apply_post", "display", "parse_field", "parse_rows"]

RENDERED = "_f"  # hidden input naming each field rendered on the page


def parse_field(spec: FieldSpec, form: FormData, name: str, regions: RegionTable) -> Any:
    """The answer for one field from the posted inputs named ``name`` (or ``name-…``): the
    field type's plugin parses it (``spec.kind``, resolved when the matter was compiled; a
    repeat group's plugin parses its rows field by field)."""
    return spec.kind.parse(spec, form, name, regions)


def parse_rows(spec: FieldSpec, form: FormData, name: str, regions: RegionTable) -> list[dict]:
    """A repeat group's rows (the add/remove actions re-read them before changing them)."""
    return spec.kind.parse(spec, form, name, regions)


def rendered_keys(form: FormData) -> list[str]:
    return [k for k in form.getlist(RENDERED) if isinstance(k, str)][:500]


def apply_post(
    fields: Iterable[FieldSpec],
    form: FormData,
    answers: dict[str, Any],
    regions: RegionTable,
    only: set[str] | None = None,
) -> None:
    """Store every field the page rendered (``_f`` markers) that its type posts (files are
    uploaded separately; info holds nothing)."""
    shown = set(rendered_keys(form)) if only is None else only
    for f in fields:
        if f.key and f.key in shown and f.kind.posted:
            put(answers, f.key, parse_field(f, form, f.key, regions))


def display(spec: FieldSpec, value: Any, regions: RegionTable) -> Any:
    """An answer as the check-your-answers page shows it (text, or a list of lines): the field
    type's plugin words it; a repeat group lists its rows, each field worded by its own type."""
    if is_empty(value):
        return None
    if spec.kind.rows and isinstance(value, list):
        lines = []
        for i, row in enumerate(value):
            parts = [
                f"{c.label}：{display(c, get(row, c.key), regions) or '未填写'}"
                for c in spec.children
                if c.kind.answers and isinstance(row, dict)
            ]
            lines.append(f"第 {i + 1} 项：" + "；".join(str(p) for p in parts))
        return lines
    return spec.kind.display(spec, value, regions)
