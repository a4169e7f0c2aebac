"""Shared pieces of every definition model: the strict base class, rules, national dictionaries.

Every model forbids unknown keys and is frozen: a typo in a YAML key must be an error, and a
loaded definition must never change under a running request. Dictionary values are written in
Chinese as county admins read them in the national element lists; ``NATIONAL_CODES`` maps them to
the codes of the national exchange format (domain reference §1.3-1.4) for export.
"""

from __future__ import annotations

import re
from datetime import date
from enum import StrEnum
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field
from pydantic_core import PydanticCustomError

#: A JsonLogic expression as written in YAML (object, list or scalar); compiled at load.
Rule = Annotated[Any, Field(description="A JsonLogic expression (see docs/rules.md).")]

KEY_RE = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$")
ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*$")


class Def(BaseModel):
    """Base of all definition models: unknown keys are errors, values are immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


def fail(code: str, message: str) -> PydanticCustomError:
    """An error carrying our stable code as its pydantic type, so the checker reports that code."""
    return PydanticCustomError(code, message)


def _text(value: Any) -> Any:
    """Codes must be strings; YAML reads ``0101`` as 101 and loses the zero, so refuse numbers."""
    if isinstance(value, bool | int | float):
        raise fail(
            "E-YAML-NUMBER-CODE",
            f'must be a string, got the number {value!r}; quote it in YAML, e.g. "{value}"',
        )
    return value


#: A code or identifier that YAML must not turn into a number.
CodeStr = Annotated[str, BeforeValidator(_text)]
#: A dotted answer key such as ``child.birth_date``.
Key = Annotated[str, Field(pattern=KEY_RE.pattern)]
#: A local id (material, step, rule, situation): letters, digits, ``_`` and ``-``.
#: After :data:`CodeStr`'s BeforeValidator pydantic checks the constraints in a chain and leaves
#: ``pattern`` out of the JSON Schema, so editors could not flag a bad id: ``json_schema_extra``
#: writes it back. Validation is untouched: a bad id is still ``string_pattern_mismatch``
#: (E-VALUE-FORMAT), a long one ``too_long`` (E-VALUE-RANGE), length checked first.
#: (``StringConstraints`` before the validator would show it too, but turns ``too_long`` into
#: ``string_too_long``, which the checker reports as E-VALUE-INVALID.)
LocalId = Annotated[
    CodeStr,
    Field(pattern=ID_RE.pattern, max_length=64, json_schema_extra={"pattern": ID_RE.pattern}),
]


class MatterKind(StrEnum):
    """事项类型 (taskType)."""

    行政许可 = "行政许可"
    行政处罚 = "行政处罚"
    行政强制 = "行政强制"
    行政征收 = "行政征收"
    行政给付 = "行政给付"
    行政检查 = "行政检查"
    行政确认 = "行政确认"
    行政奖励 = "行政奖励"
    行政裁决 = "行政裁决"
    其他行政权力 = "其他行政权力"
    公共服务 = "公共服务"


class ServiceObject(StrEnum):
    """服务对象 (serverType)."""

    自然人 = "自然人"
    企业法人 = "企业法人"
    事业法人 = "事业法人"
    社会组织法人 = "社会组织法人"
    非法人企业 = "非法人企业"
    行政机关 = "行政机关"
    其他组织 = "其他组织"


class CaseType(StrEnum):
    """办件类型 (projectType): 即办件 is decided on the spot, 承诺件 within a promised limit."""

    即办件 = "即办件"
    承诺件 = "承诺件"


class TimeUnit(StrEnum):
    工作日 = "工作日"
    自然日 = "自然日"


class OnlineDepth(StrEnum):
    """网上办理深度 (onlineHandleDepth), multi-valued."""

    互联网咨询 = "互联网咨询"
    收件 = "收件"
    预审 = "预审"
    受理 = "受理"
    办理 = "办理"
    办理结果信息反馈 = "办理结果信息反馈"
    电子证照反馈 = "电子证照反馈"


class HandleForm(StrEnum):
    """办理形式 (handleType)."""

    窗口 = "窗口"
    网上 = "网上"
    快递申请 = "快递申请"


class Level(StrEnum):
    """行使层级 (useLevel)."""

    国家级 = "国家级"
    省级 = "省级"
    市级 = "市级"
    县级 = "县级"
    乡镇级 = "乡镇级"
    村社区级 = "村社区级"
    分级管理 = "分级管理"


class PowerSource(StrEnum):
    """权力来源 (powerSource)."""

    法定本级行使 = "法定本级行使"
    上级下放 = "上级下放"
    上级授权 = "上级授权"
    同级授权 = "同级授权"
    上级委托 = "上级委托"
    同级委托 = "同级委托"


class ResultType(StrEnum):
    """审批结果类型 (resultType)."""

    出证办结 = "出证办结"
    出文办结 = "出文办结"
    审批办结 = "审批办结"
    其他 = "其他"


NATIONAL_CODES: dict[type[StrEnum], dict[str, str]] = {
    MatterKind: {
        "行政许可": "01",
        "行政处罚": "02",
        "行政强制": "03",
        "行政征收": "04",
        "行政给付": "05",
        "行政检查": "06",
        "行政确认": "07",
        "行政奖励": "08",
        "行政裁决": "09",
        "其他行政权力": "10",
        "公共服务": "20",
    },
    ServiceObject: {
        "自然人": "1",
        "企业法人": "2",
        "事业法人": "3",
        "社会组织法人": "4",
        "非法人企业": "5",
        "行政机关": "6",
        "其他组织": "9",
    },
    CaseType: {"即办件": "1", "承诺件": "2"},
    HandleForm: {"窗口": "1", "网上": "2", "快递申请": "3"},
    OnlineDepth: {
        "互联网咨询": "1",
        "收件": "2",
        "预审": "3",
        "受理": "4",
        "办理": "5",
        "办理结果信息反馈": "6",
        "电子证照反馈": "7",
    },
    Level: {
        "国家级": "1",
        "省级": "2",
        "市级": "3",
        "县级": "4",
        "乡镇级": "5",
        "分级管理": "6",
    },
    PowerSource: {
        "法定本级行使": "1",
        "上级下放": "2",
        "上级授权": "3",
        "同级授权": "4",
        "上级委托": "5",
        "同级委托": "6",
    },
}


def national_code(value: StrEnum) -> str | None:
    """The national exchange code of a dictionary value, or None where none is published."""
    return NATIONAL_CODES.get(type(value), {}).get(value.value)


class TimeLimit(Def):
    """A time limit: a number of days in a unit, with the note the guide prints."""

    days: int = Field(ge=0, le=3650, description="Number of days (0 means decided on the spot).")
    unit: TimeUnit = Field(TimeUnit.工作日, description="工作日 (working days) or 自然日.")
    note: str | None = Field(None, description="Explanation printed in the guide (说明).")


class DatedValue(Def):
    """One value of a parameter from a date on (history is added, never overwritten)."""

    from_: date = Field(alias="from", description="First day this value applies.")
    value: Any = Field(description="The value: a number, string, list or a bracket table.")
    source: str | None = Field(None, description="Document that set this value (文号).")
