"""Passwords nobody should be allowed to choose: common ones, and trivial shapes.

The list (``yijian/data/common-passwords.json``, 644 entries of 8 characters or more, lower
case) is the union of two lists of SecLists (MIT licence; see
``yijian/data/PASSWORDS-SOURCE.md``): the 1,000 commonest Chinese passwords and the 1,000
commonest of the "10 million passwords" leak corpus. Only entries at least as long as the
minimum length are kept: shorter ones are refused anyway. Besides the list, trivial shapes are
refused whatever their length: one repeated character or pair (``aaaaaaaa``, ``abababab``), a
run along the digits, the alphabet or a keyboard row (``23456789``, ``qwertyui``), and the
account's own phone number or login inside the password.

It sits beside ``store.passwords`` (the hasher) so that citizen sign-up and staff accounts
use the same check.
"""

from __future__ import annotations

import functools
import json
from importlib import resources

__all__ = ["weak_password"]

_RUNS = ("0123456789", "abcdefghijklmnopqrstuvwxyz", "qwertyuiop", "asdfghjkl", "zxcvbnm")


@functools.cache
def common_passwords() -> frozenset[str]:
    text = resources.files("yijian.data").joinpath("common-passwords.json").read_text("utf-8")
    return frozenset(json.loads(text))


def _is_run(text: str) -> bool:
    for run in _RUNS:
        for seq in (run, run[::-1]):
            if len(text) >= 6 and text in seq * 2:
                return True
    return False


def weak_password(password: str, *, account: str = "") -> str | None:
    """Why ``password`` is refused (a sentence for the form), or None when it may be used."""
    low = password.lower()
    if low in common_passwords():
        return "这个密码太常见，很容易被猜中，请换一个"
    if len(set(low)) <= 2 or _is_run(low):
        return "密码不能是重复或连续的字符，请换一个"
    if account and len(account) >= 4 and account.lower() in low:
        return "密码不能包含手机号码或登录名"
    return None
