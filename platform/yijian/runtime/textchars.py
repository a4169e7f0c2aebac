"""Which characters a typed answer may hold: nothing invisible anywhere, and only name
characters in a name.

Answers end up in official records (户籍, 证照), printed and read back by other systems. A NUL,
a bidi override (U+202E turns "王芳" into a string that displays backwards) or a zero-width
format character is never typed on purpose, and in a record it hides what the value really is;
escaping it on the page is not enough. So every text answer refuses them. A field may ask for
more (``charset`` in form.yaml):

- ``name``: a person's name: letters of any script (every CJK extension included, so 生僻字
  such as 𠮷 in 王𠮷𡘙芳 are kept), combining marks, the 间隔号 ``·`` of 少数民族 names and
  spaces; no digits, punctuation or markup (``<``, ``&``…).
- ``hanzi``: Chinese characters and ``·`` only, e.g. a newborn's name registered in 规范汉字.
  (The 通用规范汉字表 itself is not shipped: any CJK ideograph passes, a Latin letter does not.)
"""

from __future__ import annotations

import unicodedata

__all__ = ["CHARSETS", "charset_message", "hidden_message"]

CHARSETS = ("name", "hanzi")
_DOT = "·"  # U+00B7, the 间隔号 of 少数民族 names on 居民身份证
_NEWLINES = "\n\r\t"


def _hidden(c: str, multiline: bool) -> bool:
    cat = unicodedata.category(c)
    if cat == "Cc":
        return not (multiline and c in _NEWLINES)
    return cat in ("Cf", "Co", "Cs", "Zl", "Zp")  # format (bidi, zero-width), private, surrogates


def hidden_message(label: str, value: str, multiline: bool = False) -> str | None:
    """The message for an answer with an invisible or control character, or None."""
    if any(_hidden(c, multiline) for c in value):
        return f"{label}含有看不见的控制字符（可能是从别处复制带来的），请删除后重新输入"
    return None


def _ideograph(c: str) -> bool:
    return c == "〇" or unicodedata.name(c, "").startswith(("CJK UNIFIED", "CJK COMPATIBILITY"))


def _name_char(c: str) -> bool:
    return c in (_DOT, " ") or unicodedata.category(c)[0] in ("L", "M")


def charset_message(charset: str | None, label: str, value: str) -> str | None:
    """The message for an answer with a character its ``charset`` does not allow, or None."""
    if charset == "hanzi" and not all(_ideograph(c) or c == _DOT for c in value):
        return f"{label}须使用规范汉字（少数民族姓名可用间隔号“·”），不能有字母、数字或符号"
    if charset == "name" and not all(_name_char(c) for c in value):
        return f"{label}只能填写姓名用字（少数民族姓名可用间隔号“·”），不能有数字或符号"
    return None
