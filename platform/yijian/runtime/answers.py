"""Answers: the citizen's values as a nested dict addressed by dotted keys.

Forms post flat names (``child.birth_date``, ``children.0.name``); rules read nested data
(``{"var": "child.birth_date"}``). These helpers convert between the two without losing a
value, whatever a client sends.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

_MISSING = object()


def get(data: Mapping[str, Any], key: str, default: Any = None) -> Any:
    """The value at dotted ``key`` (list indexes as digits), or ``default``."""
    node: Any = data
    for part in key.split("."):
        if isinstance(node, Mapping) and part in node:
            node = node[part]
        elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
        else:
            return default
    return node


def put(data: dict[str, Any], key: str, value: Any) -> None:
    """Set dotted ``key`` in ``data``, creating the objects on the way."""
    parts = key.split(".")
    node = data
    for part in parts[:-1]:
        nxt = node.get(part)
        if not isinstance(nxt, dict):
            nxt = {}
            node[part] = nxt
        node = nxt
    node[parts[-1]] = value


def nest(flat: Mapping[str, Any]) -> dict[str, Any]:
    """``{"a.b": 1}`` → ``{"a": {"b": 1}}``; nested input passes through."""
    out: dict[str, Any] = {}
    for key, value in flat.items():
        if isinstance(value, Mapping):
            value = nest(value)
        if "." in key:
            put(out, key, value)
        elif isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key].update(value)
        else:
            out[key] = value
    return out


def merge(base: Mapping[str, Any], update: Mapping[str, Any]) -> dict[str, Any]:
    """Deep merge: values in ``update`` win; objects merge key by key."""
    out = dict(base)
    for key, value in update.items():
        if isinstance(value, Mapping) and isinstance(out.get(key), Mapping):
            out[key] = merge(out[key], value)
        else:
            out[key] = value
    return out


def is_empty(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == {}
