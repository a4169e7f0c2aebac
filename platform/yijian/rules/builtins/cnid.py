"""Chinese identifier checks as plain Python: 身份证, 统一社会信用代码, mobile, bank card.

This module carries no rule-function marks on purpose: the form layer validates fields with
the same functions the rules call (``yijian.rules.builtins.china`` wraps them as operators),
so a number the form accepts is never one a rule rejects. Every function takes whatever a
citizen typed (any value, possibly ``None``) and answers ``False`` / ``None`` instead of
raising, because rules run on half-filled forms.
"""

from __future__ import annotations

import re
from datetime import date
from operator import mul
from typing import Literal

# GB 11643-1999: ISO 7064 MOD 11-2 over the first 17 digits.
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
_ID_ZERO = ord("0") * sum(_ID_WEIGHTS)  # the weighted sum over ASCII codes is offset by this
_ID_SHAPE = re.compile(r"[0-9]{17}[0-9X]")

# GB 32100-2015: 31 characters (no I O Z S V), weighted sum mod 31.
_USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_VALUE = {c: i for i, c in enumerate(_USCC_CHARS)}
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)

_MOBILE = re.compile(r"(?:\+?86)?(1[3-9][0-9]{9})")
_SEPARATORS = re.compile(r"[\s-]")
_CARD = re.compile(r"[0-9]{12,19}")


def _text(value: object) -> str | None:
    """The value as stripped text, or None when it cannot be an identifier at all."""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value < 10**20:
        return str(value)  # a JSON number typed into a digits-only field
    return None


def _id_parts(value: object, today: date | None) -> tuple[str, date] | None:
    """(normalised number, birth date) for a valid 18-character 身份证号, else None."""
    s = _text(value)
    if s is None:
        return None
    s = s.upper()
    if not _ID_SHAPE.fullmatch(s):
        return None  # also rejects the 15-digit legacy numbers, invalid for new applications
    if _ID_CHECK[_id_sum(s) % 11] != s[17]:
        return None
    try:
        birth = date(int(s[6:10]), int(s[10:12]), int(s[12:14]))
    except ValueError:
        return None
    if birth.year < 1900 or birth > (today or date.today()):
        return None
    return s, birth


def _id_sum(digits: str) -> int:
    """Weighted sum of the first 17 digits (over bytes: this runs in every eligibility rule)."""
    return sum(map(mul, digits.encode("ascii")[:17], _ID_WEIGHTS)) - _ID_ZERO


def id_card_check_char(first17: str) -> str:
    """The GB 11643 check character for 17 digits (used to make valid test numbers)."""
    if len(first17) != 17 or not first17.isascii() or not first17.isdigit():
        raise ValueError("expected 17 digits")
    return _ID_CHECK[_id_sum(first17) % 11]


def id_card_valid(s: object, *, today: date | None = None) -> bool:
    """Whether ``s`` is a valid 18-character 居民身份证号码 (lowercase x accepted)."""
    return _id_parts(s, today) is not None


def id_card_birth_date(s: object, *, today: date | None = None) -> date | None:
    """The birth date a valid 身份证号 encodes (digits 7-14)."""
    parts = _id_parts(s, today)
    return parts[1] if parts else None


def id_card_sex(s: object, *, today: date | None = None) -> Literal["男", "女"] | None:
    """The sex a valid 身份证号 encodes: the 17th digit is odd for 男, even for 女."""
    parts = _id_parts(s, today)
    if parts is None:
        return None
    return "男" if int(parts[0][16]) % 2 else "女"


def uscc_check_char(first17: str) -> str:
    """The GB 32100 check character for 17 code characters."""
    total = sum(_USCC_VALUE[c] * w for c, w in zip(first17, _USCC_WEIGHTS, strict=True))
    return _USCC_CHARS[-total % 31]


def uscc_valid(s: object) -> bool:
    """Whether ``s`` is a valid 18-character 统一社会信用代码 (case-insensitive)."""
    text = _text(s)
    if text is None:
        return False
    code = text.upper()
    if len(code) != 18 or any(c not in _USCC_VALUE for c in code):
        return False
    return uscc_check_char(code[:17]) == code[17]


def _mobile_digits(s: object) -> str | None:
    text = _text(s)
    if text is None:
        return None
    match = _MOBILE.fullmatch(_SEPARATORS.sub("", text))
    return match.group(1) if match else None


def mobile_valid(s: object) -> bool:
    """Whether ``s`` is a mainland mobile number; +86/86, spaces and hyphens are tolerated."""
    return _mobile_digits(s) is not None


def bank_card_valid(s: object) -> bool:
    """Whether ``s`` is 12-19 digits passing the Luhn check; spaces and hyphens tolerated."""
    text = _text(s)
    if text is None:
        return False
    digits = _SEPARATORS.sub("", text)
    if not _CARD.fullmatch(digits):
        return False
    total = 0
    for i, c in enumerate(reversed(digits)):
        d = int(c) * (2 if i % 2 else 1)
        total += d - 9 if d > 9 else d
    return total % 10 == 0


def _mask(text: str, head: int, tail: int) -> str:
    if len(text) <= head + tail:
        return "*" * len(text)  # too short to show anything without showing most of it
    return text[:head] + "*" * (len(text) - head - tail) + text[-tail:]


def mask_id_card(s: object) -> str:
    """``110101********123X``: the first 6 and last 4 characters, for lists and logs."""
    text = _text(s)
    return _mask(text.upper(), 6, 4) if text else ""


def mask_phone(s: object) -> str:
    """``138****5678``: the first 3 and last 4 digits of a mobile number."""
    digits = _mobile_digits(s)
    if digits:
        return _mask(digits, 3, 4)
    text = _text(s)
    return _mask(text, 3, 4) if text else ""
