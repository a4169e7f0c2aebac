"""Checking one answer against its field type: the inline messages citizens read, in Chinese.

Pure functions, shared by the form runtime (per page), submission (whole form) and
``yijian test``. A message names the field and says what to do, as GOV.UK's error patterns do.
"""

from __future__ import annotations

from typing import Any

from yijian.runtime.fieldtypes import REGION_LEVELS, kind_of, region_message


def empty_message(ftype: Any, label: str) -> str:
    """What a required field left empty says (the type's own words: 请选择, 请上传 …)."""
    return kind_of(ftype).empty_message(label)


def check_value(spec: Any, value: Any) -> str | None:
    """The message for a non-empty ``value`` that does not fit ``spec`` (a FieldSpec), or None.
    The field type's plugin decides: ``spec.kind``, resolved when the matter was compiled (a
    bare spec-like object without one is looked up by its type name)."""
    kind = getattr(spec, "kind", None) or kind_of(spec.type)
    return kind.check(spec, value)


__all__ = ["REGION_LEVELS", "check_value", "empty_message", "region_message"]
