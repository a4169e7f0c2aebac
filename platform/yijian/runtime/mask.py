"""Personal data masked for lists, notices and messages (王**, 1101**********002X, 138****5678).

A window queue, an SMS or a notice someone photographs shows enough to tell cases apart and
no more: the surname, the first and last four characters of an ID number, the first three
and last four digits of a phone. Pure functions; anything that is not text masks to "".
"""

from __future__ import annotations

__all__ = ["mask_email", "mask_id", "mask_name", "mask_phone"]


def _text(value: object) -> str:
    return value.strip() if isinstance(value, str) else ""


def mask_name(value: object) -> str:
    """``王小明`` → ``王**``: the first character (the surname, mostly), one * for each other."""
    text = _text(value)
    return text[:1] + "*" * (len(text) - 1) if text else ""


def mask_id(value: object) -> str:
    """``11010519491231002X`` → ``1101**********002X`` (first four, last four)."""
    text = _text(value)
    if text.endswith("x"):  # the check character of a 身份证号 is written X
        text = text[:-1] + "X"
    if len(text) <= 8:
        return "*" * len(text)
    return text[:4] + "*" * (len(text) - 8) + text[-4:]


def mask_phone(value: object) -> str:
    """``13812345678`` → ``138****5678``; a short number keeps only its last two digits."""
    text = "".join(ch for ch in _text(value) if ch.isdigit())
    if len(text) < 7:
        return "*" * max(len(text) - 2, 0) + text[-2:] if text else ""
    return text[:3] + "*" * (len(text) - 7) + text[-4:]


def mask_email(value: object) -> str:
    """``wangxm@example.cn`` → ``w*****@example.cn``."""
    text = _text(value)
    local, at, domain = text.partition("@")
    if not at or not local:
        return mask_name(text)
    return local[:1] + "*" * (len(local) - 1) + "@" + domain
