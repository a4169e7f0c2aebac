"""Validating parsed YAML against the definition models, turning pydantic errors into diagnostics.

pydantic already collects every error of a file with its location; this module gives each one
our stable code, a message an admin understands ("did you mean" for keys and choices), and the
line it sits on.
"""

from __future__ import annotations

import re
import reprlib
import types
import typing
from enum import Enum
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from yijian.defs.common import ID_RE, KEY_RE
from yijian.located.diagnostics import Diagnostic, did_you_mean, known_list, loc_text
from yijian.located.yamlsrc import locate

M = TypeVar("M", bound=BaseModel)

#: Where every key and choice of every file kind is listed (a hint's list is cut).
KEYS_DOC = "docs/reference/yaml.md"

_CODES = {
    "extra_forbidden": "E-KEY-UNKNOWN",
    "missing": "E-KEY-MISSING",
    "enum": "E-VALUE-CHOICE",
    "literal_error": "E-VALUE-CHOICE",
    "string_pattern_mismatch": "E-VALUE-FORMAT",
    "greater_than": "E-VALUE-RANGE",
    "greater_than_equal": "E-VALUE-RANGE",
    "less_than": "E-VALUE-RANGE",
    "less_than_equal": "E-VALUE-RANGE",
    "too_short": "E-VALUE-RANGE",
    "too_long": "E-VALUE-RANGE",
}
_QUOTED = re.compile(r"'([^']*)'")
#: What our patterns mean, in words (an admin should never be shown a regular expression).
_PATTERNS = {
    KEY_RE.pattern: (
        "a key is lowercase letters, digits and '_' in parts joined by '.', e.g. child.birth_date"
    ),
    ID_RE.pattern: "an id is letters, digits, '_' and '-', starting with a letter or digit",
}


def _unwrap(tp: Any) -> list[Any]:
    """The concrete types inside Optional/Union/Annotated."""
    origin = typing.get_origin(tp)
    if origin is typing.Annotated:
        return _unwrap(typing.get_args(tp)[0])
    if origin in (typing.Union, types.UnionType):
        return [t for a in typing.get_args(tp) for t in _unwrap(a)]
    return [tp]


def type_at(model: type[BaseModel], loc: tuple[str | int, ...]) -> Any:
    """The annotation found by walking ``loc`` from ``model`` (None when it cannot be followed)."""
    current: Any = model
    for part in loc:
        nxt = None
        for tp in _unwrap(current):
            origin = typing.get_origin(tp)
            if isinstance(tp, type) and issubclass(tp, BaseModel) and isinstance(part, str):
                for name, info in tp.model_fields.items():
                    if part in (name, info.alias):
                        nxt = info.annotation
            elif origin in (tuple, list) and isinstance(part, int):
                nxt = typing.get_args(tp)[0]
            elif origin is dict and isinstance(part, str):
                nxt = typing.get_args(tp)[1]
            if nxt is not None:
                break
        if nxt is None:
            return None
        current = nxt
    return current


def _field_names(model: type[BaseModel], loc: tuple[str | int, ...]) -> list[str]:
    for tp in _unwrap(type_at(model, loc) or object):
        if isinstance(tp, type) and issubclass(tp, BaseModel):
            return [info.alias or name for name, info in tp.model_fields.items()]
    return []


def _choices(model: type[BaseModel], loc: tuple[str | int, ...], ctx: dict[str, Any]) -> list[str]:
    for tp in _unwrap(type_at(model, loc) or object):
        if isinstance(tp, type) and issubclass(tp, Enum):
            return [str(m.value) for m in tp]
    return _QUOTED.findall(str(ctx.get("expected", "")))


def _describe(model: type[BaseModel], err: dict[str, Any]) -> tuple[str, str, str | None]:
    """(code, message, hint) for one pydantic error."""
    kind = err["type"]
    loc = tuple(err["loc"])
    value = err.get("input")
    if kind.startswith("E-"):
        return kind, err["msg"], None
    code = _CODES.get(kind, "E-VALUE-TYPE" if kind.endswith("_type") else "E-VALUE-INVALID")
    if kind == "extra_forbidden":
        allowed = _field_names(model, loc[:-1])
        return (
            code,
            f"unknown key '{loc[-1]}'{did_you_mean(str(loc[-1]), allowed)}",
            f"allowed keys here: {known_list(allowed, 12, str(loc[-1]), KEYS_DOC)}"
            if allowed
            else None,
        )
    if kind == "missing":
        return code, f"missing required key '{loc[-1]}'", None
    if kind in ("enum", "literal_error"):
        choices = _choices(model, loc, err.get("ctx") or {})
        if loc and loc[-1] == "type" and "fields" in loc:
            code = "E-FIELD-TYPE"
            what = "field type"
        else:
            what = "value"
        return (
            code,
            f"unknown {what} '{value}'{did_you_mean(str(value), choices)}",
            f"choose one of: {known_list(choices, 25, str(value), KEYS_DOC)}",
        )
    if kind == "string_pattern_mismatch":
        pattern = str((err.get("ctx") or {}).get("pattern", ""))
        if pattern in _PATTERNS:
            return code, f"{_short(value)} is not valid: {_PATTERNS[pattern]}", None
    return code, f"{err['msg']} (got {_short(value)})", None


def _misspelt(errors: list[Any]) -> set[tuple[Any, ...]]:
    """Missing keys that an unknown key beside them probably meant (``nmae`` for ``name``):
    the unknown key's "did you mean" says it all, a second error would be noise."""
    missing = {tuple(e["loc"]) for e in errors if e["type"] == "missing"}
    meant = set()
    for e in errors:
        if e["type"] == "extra_forbidden":
            loc = tuple(e["loc"])
            meant |= {
                m
                for m in missing
                if m[:-1] == loc[:-1] and did_you_mean(str(loc[-1]), [str(m[-1])])
            }
    return meant


_REPR = reprlib.Repr()
_REPR.maxlevel, _REPR.maxstring, _REPR.maxother = 3, 50, 50


def _short(value: Any) -> str:
    """A value as shown in a message, built bounded (``reprlib``: a list nested 60 levels or
    holding 20,000 items is never rendered whole, and ``repr`` of a deeper one recursed out)."""
    text = _REPR.repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def validate(model: type[M], data: Any, rel: str, text: str) -> tuple[M | None, list[Diagnostic]]:
    """Validate ``data`` (parsed from ``text`` of file ``rel``) as ``model``."""
    if data is None:
        data = {}
    if not isinstance(data, dict):
        return None, [
            Diagnostic(
                rel,
                1,
                1,
                "",
                "the file must be a mapping of keys to values",
                "E-VALUE-TYPE",
                f"start with the keys of {model.__name__}",
            )
        ]
    try:
        return model.model_validate(data, context={"library": model.__name__ == "LibraryDef"}), []
    except ValidationError as exc:
        out = []
        errors = exc.errors(include_url=False)
        deeper = [tuple(e["loc"]) for e in errors if e["type"] != "too_short"]
        meant = _misspelt(errors)
        for err in errors:
            if err["type"] == "missing" and tuple(err["loc"]) in meant:
                continue
            if err["type"] == "too_short" and any(
                d[: len(err["loc"])] == tuple(err["loc"]) and len(d) > len(err["loc"])
                for d in deeper
            ):
                continue  # a list emptied by its own failing items: the items' errors say it all
            loc = tuple(err["loc"])
            # pydantic appends the tag of a failing union member; drop what the YAML does not have
            loc = tuple(p for p in loc if not (isinstance(p, str) and p.startswith("function-")))
            code, message, hint = _describe(model, err)
            line, col = locate(text, loc, key=err["type"] == "extra_forbidden")
            out.append(Diagnostic(rel, line, col, loc_text(loc), message, code, hint))
        return None, out
