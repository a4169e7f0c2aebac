"""No personal data in logs, ever: every log record is masked as it is made, whatever logs it.

A filter on one logger misses records of its children and of libraries (uvicorn, httpx,
sqlite errors quoting a value), and a filter on a handler misses handlers added later. So the
mask sits in the log record factory (:func:`logging.setLogRecordFactory`): every record of
every logger passes through it once, after the level check (a record that is not emitted is
never made), with its message formatted and masked, and its traceback and stack too.

Masked: identity numbers (18 and 15 digits, 1101**********002X), mobile phones (138****5678)
and bearer secrets — a draft id, a resume code or a session token is ``secrets.token_urlsafe``
text, 22 characters or more mixing letters and digits, shown as ``[secret]`` (an unsigned
draft id gave its draft to whoever read it, issue 13). Names cannot be recognised in free
text: code must not log them (the journey test in tests/runtime/test_logmask.py checks the
known ones).
"""

from __future__ import annotations

import logging
import re
from typing import Any

from yijian.runtime.mask import mask_id, mask_phone

__all__ = ["install", "mask_text"]

_ID = re.compile(r"(?<![0-9A-Za-z])(?:\d{17}[0-9Xx]|\d{15})(?![0-9A-Za-z])")
_PHONE = re.compile(r"(?<![0-9])(?:\+?86[- ]?)?1[3-9]\d[- ]?\d{4}[- ]?\d{4}(?![0-9])")
_TOKEN = re.compile(r"(?<![A-Za-z0-9_-])[A-Za-z0-9_-]{22,}(?![A-Za-z0-9_-])")
_CLASSES = (str.isdigit, str.isupper, str.islower)


def _token(match: re.Match[str]) -> str:
    """A random token mixes at least two of digits, capitals and small letters; a word, a
    snake_case name or a hexadecimal digest of one kind is left alone."""
    text = match[0]
    kinds = sum(1 for test in _CLASSES if any(test(ch) for ch in text))
    return "[secret]" if kinds >= 2 and not text.isdigit() else text


def mask_text(text: str) -> str:
    """``text`` with identity numbers, phones and bearer tokens masked."""
    if not text:
        return text
    text = _ID.sub(lambda m: mask_id(m[0]), text)
    text = _PHONE.sub(lambda m: mask_phone(m[0]), text)
    return _TOKEN.sub(_token, text)


_formatter = logging.Formatter()
_installed: list[Any] = []


def _masked(record: logging.LogRecord) -> logging.LogRecord:
    try:
        message = record.getMessage()
    except Exception:  # a bad format string: logging reports it; keep the template only
        message = str(record.msg)
    record.msg, record.args = mask_text(message), None
    if record.exc_info and not record.exc_text:
        record.exc_text = mask_text(_formatter.formatException(record.exc_info))
    elif record.exc_text:
        record.exc_text = mask_text(record.exc_text)
    if record.stack_info:
        record.stack_info = mask_text(record.stack_info)
    return record


def install() -> None:
    """Mask every log record from now on (idempotent; the command line and the web app call
    it at start)."""
    if _installed:
        return
    previous = logging.getLogRecordFactory()

    def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
        return _masked(previous(*args, **kwargs))

    _installed.append(factory)
    logging.setLogRecordFactory(factory)
