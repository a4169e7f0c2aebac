"""Messages with placeholders: ``您的法定退休日期为 {retirement.date}``.

A rule's message may name variables in braces (answer keys, derived values, ``params.*``,
``context.*``) so a citizen reads *their* date or amount, not a generic sentence. Placeholders
are checked at load like rule variables; at run time a missing value renders as “—”.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from yijian.runtime.answers import get

PLACEHOLDER = re.compile(r"\{([a-z][a-z0-9_]*(?:\.[a-z0-9_]+)*)\}")


def placeholders(message: str) -> list[str]:
    """The variable names a message refers to."""
    return PLACEHOLDER.findall(message)


def value_text(value: Any) -> str:
    """An answer or fact as one line of Chinese text: 是/否, lists joined with 、, a group's
    parts with ；, "—" for nothing (messages, task pages, result documents)."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, list | tuple):
        return "、".join(value_text(v) for v in value)
    if isinstance(value, dict):
        return "；".join(f"{k}：{value_text(v)}" for k, v in value.items() if not k.startswith("_"))
    return str(value)


def render(message: str, data: Mapping[str, Any]) -> str:
    """``message`` with each ``{key}`` replaced by its value in ``data``."""
    if "{" not in message:
        return message
    return PLACEHOLDER.sub(lambda m: value_text(get(data, m.group(1))), message)
