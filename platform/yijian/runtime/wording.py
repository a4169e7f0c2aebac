"""One failing sub-condition of a rule in words, with the person's own values.

Example: "参保身份须为企业职工或灵活就业，您填写的是机关事业单位".

:mod:`yijian.rules.explain` finds the leaves of a rule that failed, with their values; this
module words one leaf for the person it concerns. Each operand is named as the form names it
(the field's label, a derived value's label from rules.yaml, "办理当日" for ``context.today``,
a parameter by its value and unit), each value as the form shows it (an option's label, 是/否,
a date as on the review page), and every question the leaf reads is cited so the page can link
to it. Operators without a wording of their own (``some``, a county's rule function) still get a
sentence: the condition, then each value it read. Why a table and not the functions' docstrings:
a docstring is written for authors; the citizen needs a short noun ("…的月数").
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from yijian.rules.explain import Leaf, operation
from yijian.runtime.messages import value_text

#: comparison → (wanted true, wanted false) words for numbers, then for dates (ISO text)
_CMP = {
    "==": ("须为", "不能为"),
    "===": ("须为", "不能为"),
    "!=": ("不能为", "须为"),
    "!==": ("不能为", "须为"),
    "<": ("须少于", "须不少于"),
    "<=": ("须不超过", "须超过"),
    ">": ("须多于", "须不多于"),
    ">=": ("须不少于", "须少于"),
}
_DATE_CMP = {
    "<": ("须早于", "须不早于"),
    "<=": ("须不晚于", "须晚于"),
    ">": ("须晚于", "须不晚于"),
    ">=": ("须不早于", "须早于"),
}
_MIRROR = {
    "<": ">",
    "<=": ">=",
    ">": "<",
    ">=": "<=",
    "==": "==",
    "===": "===",
    "!=": "!=",
    "!==": "!==",
}
_UNITS = {"day": "天数", "week": "周数", "month": "月数", "year": "年数"}
#: validators: what the value must be when the function must hold
_VALID = {
    "id_card_valid": "有效的公民身份号码",
    "uscc_valid": "有效的统一社会信用代码",
    "mobile_valid": "有效的手机号码",
    "bank_card_valid": "有效的银行卡号",
    "is_workday": "工作日",
}


@dataclass(frozen=True)
class Operand:
    """One side of a condition: how it is named, its value in words, the questions behind it."""

    text: str
    value: str
    cites: tuple[str, ...]  # answer keys of the questions it reads
    kind: str  # "field" | "derived" | "literal" | "calc"


class Namer:
    """Names operands for one matter: ``label(key)`` gives a field's or derived value's label
    (``None`` if unknown), ``show(key, value)`` words a value as that field shows it,
    ``sources(key)`` the questions a derived value is computed from, ``param(name)`` a
    parameter's description and unit."""

    def __init__(
        self,
        label: Callable[[str], str | None],
        show: Callable[[str, Any], str | None],
        sources: Callable[[str], tuple[str, ...]],
        is_field: Callable[[str], bool],
        param: Callable[[str], tuple[str, str | None]],
    ) -> None:
        self.label, self.show, self.sources, self.is_field, self.param = (
            label,
            show,
            sources,
            is_field,
            param,
        )

    def operand(self, expr: Any, value: Any, like: str | None = None) -> Operand:
        """``expr`` (with ``value``); ``like``: the key of the field it is compared with, whose
        options word a literal ("1" → 一级)."""
        op, args = operation(expr)
        if op == "var":
            return self._var(str(args[0]) if args else "", value)
        if op is None:
            shown = _quoted((self.show(like, value) if like else None) or value_text(value))
            return Operand(shown, shown, (), "literal")
        parts = [self.operand(a, None) for a in args]
        cites = tuple(dict.fromkeys(k for p in parts for k in p.cites))
        return Operand(_call(op, args, parts), value_text(value), cites, "calc")

    def _var(self, key: str, value: Any) -> Operand:
        if key == "context.today":
            return Operand("办理当日", value_text(value), (), "derived")
        if key.startswith("params."):
            unit = self.param(key[7:])[1] or ""
            text = _cat(_quoted(value_text(value)), unit)
            return Operand(text, text, (), "literal")
        label = self.label(key) or key
        if self.is_field(key):
            shown = _quoted(self.show(key, value) or value_text(value))
            return Operand(label, shown, (key,), "field")
        return Operand(label, _quoted(value_text(value)), self.sources(key), "derived")


def _call(op: str, args: Sequence[Any], parts: Sequence[Operand]) -> str:
    """A rule function's result as a noun phrase."""
    t = [p.text for p in parts]
    if op == "date_diff" and len(t) >= 2:
        unit = _UNITS.get(str(args[2]) if len(args) > 2 else "day", "天数")
        return f"{t[0]}至{t[1]}已满的{unit}"
    if op in ("workdays_between",) and len(t) >= 2:
        return f"{t[0]}至{t[1]}的工作日数"
    if op in ("age", "id_card_age") and t:
        return f"按{t[0]}计算的周岁年龄"
    if op == "id_card_sex" and t:
        return f"{t[0]}显示的性别"
    if op in ("id_card_birth_date", "year_month") and t:
        return f"{t[0]}中的出生日期" if op == "id_card_birth_date" else f"{t[0]}的年月"
    if op == "length" and t:
        return f"{t[0]}的项数"
    if op == "substr" and len(args) >= 2 and args[1] == 0 and len(args) > 2:
        return f"{t[0]}的前 {value_text(args[2])} 位"
    if op == "today":
        return "办理当日"
    return f"{op}（{'，'.join(t)}）"


def _cat(*parts: str) -> str:
    """Join words, with a space where Chinese meets a number or Latin text ("少于 12 个月")."""
    out = ""
    for part in parts:
        if not part:
            continue
        if out and ((_cjk(out[-1]) and _ascii(part[0])) or (_ascii(out[-1]) and _cjk(part[0]))):
            out += " "
        out += part
    return out


def _cjk(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff"


def _ascii(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()


def _quoted(text: str) -> str:
    """是 and 否 alone read as words of the sentence: “是”."""
    return f"“{text}”" if text in ("是", "否") else text


def _is_date(*values: Any) -> bool:
    return any(
        isinstance(v, str) and len(v) >= 10 and v[4:5] == "-" and v[7:8] == "-" for v in values
    )


def _actual(side: Operand) -> str:
    """What the person gave or what was computed, for the second half of the sentence."""
    if side.kind == "literal":
        return ""
    if side.kind == "field":
        return "您尚未填写" if side.value == "—" else _cat("您填写的是", side.value)
    if side.value == "—":
        return f"{side.text}尚无法确定"
    return _cat(side.text, "为", side.value)


def sentence(leaf: Leaf, namer: Namer) -> tuple[str, tuple[str, ...]]:
    """The leaf in words, and the answer keys of the questions it reads."""
    op, args, values = leaf.op, leaf.args, leaf.values
    if op in _CMP and len(args) == 3 and op in ("<", "<="):
        mid = namer.operand(args[1], values[1])
        lo, hi = (
            namer.operand(a, v, _key(args[1]))
            for a, v in zip((args[0], args[2]), (values[0], values[2]), strict=True)
        )
        word = "在" if leaf.wanted else "不在"
        text = _cat(mid.text, f"须{word}", lo.text, "至", hi.text, "之间")
        return _join(text, [mid, lo, hi]), mid.cites + lo.cites + hi.cites
    if op in _CMP and len(args) == 2:
        a, b = args
        va, vb = values
        if operation(a)[0] is None and operation(b)[0] is not None:  # literal first: mirror
            a, b, va, vb, op = b, a, vb, va, _MIRROR[op]
        left = namer.operand(a, va)
        right = namer.operand(b, vb, _key(a))
        if operation(b)[0] is None and b is None and op in ("==", "===", "!=", "!=="):
            filled = (op in ("!=", "!==")) == leaf.wanted
            text = f"须填写{left.text}" if filled else f"{left.text}须留空"
            return _join(text, [left]), left.cites
        words = _DATE_CMP if op in _DATE_CMP and _is_date(va, vb) else _CMP
        word = words[op][0 if leaf.wanted else 1]
        return _join(_cat(left.text, word, right.text), [left, right]), left.cites + right.cites
    if op == "in" and len(args) == 2:
        thing, within = args
        if isinstance(within, list):  # a literal list of allowed values
            left = namer.operand(thing, values[0])
            names = [namer.operand(x, x, _key(thing)).text for x in within]
            allowed = "或".join(names) if len(names) <= 2 else "、".join(names) + " 之一"
            word = "须为" if leaf.wanted else "不能为"
            return _join(_cat(left.text, word, allowed), [left]), left.cites
        whole = namer.operand(within, values[1])
        item = namer.operand(thing, values[0], _key(within))
        word = "须包含" if leaf.wanted else "不能包含"
        return _join(_cat(whole.text, word, item.text), [whole, item]), whole.cites + item.cites
    if op in _VALID and args:
        side = namer.operand(args[0], values[0])
        word = "须是" if leaf.wanted else "不能是"
        return _join(f"{side.text}{word}{_VALID[op]}", [side]), side.cites
    side = namer.operand(leaf.expr, leaf.value)
    if op == "var" and leaf.args and str(leaf.args[0]).startswith("params."):
        # a county's switch: nothing the person can change, but part of why
        about = namer.param(str(leaf.args[0])[7:])[0].split("（")[0]
        return f"本地规定“{about}”为{side.text}", ()
    if (
        op == "var"
        and side.kind == "field"
        and isinstance(leaf.value, bool | type(None))
        and _boolish(namer, side)
    ):
        text = f"{side.text}须为“{'是' if leaf.wanted else '否'}”"
    elif op == "var" and side.kind == "field":
        text = f"须填写{side.text}" if leaf.wanted else f"{side.text}须留空"
    elif op == "var":
        text = f"{side.text}{'须成立' if leaf.wanted else '须不成立'}"
    else:
        text = f"“{side.text}”{'须成立' if leaf.wanted else '须不成立'}"
    return _join(text, [side]), side.cites


def facts(leaf: Leaf, namer: Namer) -> tuple[str, tuple[str, ...]]:
    """What the person answered (or what was computed) that a leaf read, without judging it:
    "增发情形为独生子女父母" (why a material is asked for), and the questions it reads."""
    op, args, values = leaf.op, leaf.args, leaf.values
    sides = (
        [namer.operand(leaf.expr, leaf.value)]
        if op == "var"
        else [namer.operand(a, v) for a, v in zip(args, values, strict=False)]
    )
    # an unanswered question is no reason: a material asked by default is not "because"
    said = [_cat(s.text, "为", s.value) for s in sides if s.kind != "literal" and s.value != "—"]
    return "，".join(dict.fromkeys(said)), tuple(k for s in sides for k in s.cites)


def _boolish(namer: Namer, side: Operand) -> bool:
    return namer.show(side.cites[0], True) == "是" if side.cites else False


def _key(expr: Any) -> str | None:
    op, args = operation(expr)
    return str(args[0]) if op == "var" and args else None


def _join(requirement: str, sides: Sequence[Operand]) -> str:
    facts = [f for f in dict.fromkeys(_actual(s) for s in sides) if f]
    return "，".join([requirement, *facts])
