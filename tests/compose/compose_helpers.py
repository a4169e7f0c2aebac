"""Small builders of compiled specs, so composition tests read as the YAML they stand for."""

from __future__ import annotations

from typing import Any

from yijian.compiled.matter import FieldSpec, MaterialSpec, PageSpec, StepSpec
from yijian.defs.form import FieldDef
from yijian.defs.matter import Material
from yijian.defs.routing import Step


def field(key: str, type: str = "text", **kw: Any) -> FieldSpec:
    d = FieldDef.model_validate({"key": key, "type": type, "label": kw.pop("label", key), **kw})
    return FieldSpec(key, d.type, d.label or "", d, "p", options=d.options)


def page(pid: str, *fields: FieldSpec, title: str = "页") -> PageSpec:
    return PageSpec(pid, title, None, None, tuple(fields))


def material(mid: str, **kw: Any) -> MaterialSpec:
    return MaterialSpec(
        Material.model_validate({"id": mid, "name": kw.pop("name", mid), **kw}), None
    )


def step(
    sid: str, days: int = 0, kind: str = "review", after: tuple[str, ...] = (), counts: bool = True
) -> StepSpec:
    s = Step(id=sid, name=sid, kind=kind, time_limit=days, after=after, counts_toward_limit=counts)
    return StepSpec(s, None, "县某局")
