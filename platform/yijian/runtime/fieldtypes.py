"""Field types as plugins: what a type parses, checks, shows and how it is drawn.

Every field type — the twenty built-ins and any a county or vendor adds — is one object
registered at the ``field_types`` extension point (``yijian.extend.FIELD_TYPES``; the
built-ins through the ``yijian.field_types`` entry points in pyproject.toml, a plugin the same
way or with ``FIELD_TYPES.register``). The definition checker accepts exactly the registered
names; the form parser (``web.formstate``), the value checker (``runtime.fieldcheck``), the
check-your-answers display, the field view (``web.fieldview``: input trigger, live change), the
templates (``template``) and the generated reference (``tools.docgen``) all ask the plugin, so
adding a type touches none of them.

A plugin subclasses :class:`FieldKind` and overrides what differs from a one-line text input.
``parse`` receives the posted form (anything with ``get`` and ``getlist``: Starlette's
``FormData``, a dict of lists in tests) and must keep what was typed when it does not fit, so
nothing is lost; ``check`` then says why, in Chinese. The shape every plugin has is
``yijian.defs.fieldtype.FieldTypePlugin`` (the definition model asks it first, so it lives
there); the lookup is ``yijian.defs.fieldtype.field_type``, re-exported here as ``kind_of``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any, ClassVar

from yijian.defs.fieldtype import Posted, field_type, field_type_names
from yijian.rules.builtins import cnid
from yijian.runtime.answers import is_empty, put
from yijian.runtime.regions import RegionTable
from yijian.runtime.textchars import charset_message, hidden_message

__all__ = ["BUILTIN_ORDER", "FieldKind", "Posted", "kind_of", "names"]

MAX_ROWS = 200  # rows of a repeat group read from one post, whatever ``_rows`` claims
#: the most characters a text answer may have when its definition sets no ``max_length``;
#: a longer answer is kept as typed and refused by ``check`` with its count, never cut
MAX_TEXT = 2000
#: what one posted text value is read up to: far past any limit, so a value cut here is
#: still refused (never silently shortened), while a hostile post cannot grow a draft further
MAX_KEPT = 100_000
_INT = re.compile(r"^-?\d{1,15}$")
_DEC = re.compile(r"^-?\d{1,15}\.\d{1,6}$")
_MONEY = re.compile(r"^-?\d+(\.\d{1,2})?$")
TEXT_TRIGGER = "input changed delay:500ms, change"
_SEPARATORS = re.compile(r"[\s\-‐‑‒–—－]+")  # what people put between digit groups


def asked_again(label: str) -> str | None:
    """A label that is a question (有刺身吗？) is asked again, not glued to a verb (请选择有刺身
    吗？); None for a statement label, which takes the type's verb."""
    label = label.strip()
    return f"请回答“{label}”" if label.endswith(("？", "?")) else None


def text_of(form: Posted, name: str) -> str | None:
    value = form.get(name)
    return value[:MAX_KEPT] if isinstance(value, str) else None


class FieldKind:
    """A one-line text answer; subclasses override what differs."""

    name: ClassVar[str] = "text"
    #: the field holds an answer (``info`` does not)
    answers: ClassVar[bool] = True
    #: the field needs ``options`` (select, radio, checkboxes)
    with_options: ClassVar[bool] = False
    #: the field has row ``fields`` (repeat)
    rows: ClassVar[bool] = False
    #: the field needs ``label`` / ``text`` (declaration and info speak through ``text``)
    labelled: ClassVar[bool] = True
    with_text: ClassVar[bool] = False
    #: the YAML keys only this type gives meaning to (docs/reference/fields.md)
    keys: ClassVar[tuple[str, ...]] = ("min_length", "max_length", "placeholder", "charset")
    #: what rules read: text, number, boolean, date, list or none (the compiler's list keys)
    value_type: ClassVar[str] = "text"
    #: posted with the page (info has no input; a file is uploaded on its own)
    posted: ClassVar[bool] = True
    #: a change posts to the htmx change handler (info, file and repeat have their own wiring)
    live: ClassVar[bool] = True
    #: the first input's id is the field id plus this (the error summary links there)
    anchor_suffix: ClassVar[str] = ""
    #: what the field view adds for the template: "regions", "material", "rows" or None
    view_extra: ClassVar[str | None] = None
    #: typing posts a live change after a pause (text-like), else on change
    typed: ClassVar[bool] = True
    #: the template that draws the control: a name the default macro knows, or a template path
    template: ClassVar[str] = "text"
    #: a plugin's own control, as Jinja2 source (``fieldtypes/<name>.html``); None: built in
    template_source: ClassVar[str | None] = None
    #: for docs/reference/fields.md: what it renders, what it checks
    renders: ClassVar[str] = "one-line text input"
    checks: ClassVar[str] = "`min_length`/`max_length` characters"
    empty_verb: ClassVar[str] = "请填写"

    def check_definition(self, fd: Any, in_library: bool) -> tuple[str, str] | None:
        """What a field of this type must say, checked when the YAML is read (the codes and
        messages of docs/reference/errors.md)."""
        if self.labelled and fd.label is None:
            return "E-FIELD-INCOMPLETE", f"a {fd.type} field needs `label`"
        if self.answers and fd.key is None and not in_library:
            return "E-FIELD-INCOMPLETE", f"a {fd.type} field needs `key`"
        if self.with_options and not fd.options:
            return "E-FIELD-OPTIONS", f"a {fd.type} field needs `options`"
        if fd.options and not self.with_options:
            return "E-FIELD-OPTIONS", "`options` only apply to select, radio, checkboxes"
        if self.rows != bool(fd.fields):
            return "E-FIELD-REPEAT", "a repeat field, and only a repeat field, has `fields`"
        if self.with_text and not fd.text:
            return "E-FIELD-INCOMPLETE", f"a {fd.type} field needs `text`"
        return None

    def schema(self) -> dict[str, Any]:
        """What an editor requires of a field of this type (a JSON-Schema ``then`` branch)."""
        need = [k for k, on in (("options", self.with_options), ("fields", self.rows)) if on]
        need += ["text"] if self.with_text else []
        return {"required": need} if need else {}

    def note(self, value: Any) -> str | None:
        return None

    def parse(self, spec: Any, form: Posted, name: str, regions: Any) -> Any:
        raw = text_of(form, name)
        if raw is None or raw.strip() == "":
            return None
        return raw

    def max_chars(self, spec: Any) -> int:
        """The most characters an answer may have: the definition's ``max_length``, else
        ``MAX_TEXT``. The page shows it ("最多 N 字") and ``check`` refuses a longer answer."""
        return min(spec.definition.max_length or MAX_TEXT, MAX_KEPT)

    def check(self, spec: Any, value: Any) -> str | None:
        f, label = spec.definition, spec.label
        if not isinstance(value, str):
            return f"{label}格式不正确"
        if len(value) > (limit := self.max_chars(spec)):
            return f"{label}不能超过 {limit} 个字（现有 {len(value)} 个字），请删减后再提交"
        if f.min_length and len(value) < f.min_length:
            return f"{label}至少 {f.min_length} 个字"
        hidden = hidden_message(label, value, multiline=self.name != "text")
        return hidden or charset_message(getattr(f, "charset", None), label, value)

    def empty_message(self, label: str) -> str:
        return asked_again(label) or f"{self.empty_verb}{label}"

    def display(self, spec: Any, value: Any, regions: Any) -> Any:
        if is_empty(value):
            return None
        if isinstance(value, dict):
            return "-".join(str(v) for v in value.values())
        unit = getattr(spec.definition, "unit", None)
        return f"{value} {unit}" if unit else str(value)


class Textarea(FieldKind):
    name, template, renders = "textarea", "textarea", "multi-line text box"
    keys = ("min_length", "max_length")


class Address(FieldKind):
    name, template = "address", "text"
    renders, checks = "multi-line address box", "`max_length` characters"


class Number(FieldKind):
    name, template = "number", "number"
    renders, checks = "numeric input, `unit` shown after it", "a number within `min`/`max`"
    keys, value_type = ("min", "max", "unit"), "number"

    def parse(self, spec: Any, form: Posted, name: str, regions: Any) -> Any:
        raw = super().parse(spec, form, name, regions)
        if raw is None:
            return None
        s = raw.strip().replace(",", "")
        if _INT.match(s):
            return int(s)
        if _DEC.match(s):
            return float(s)
        return raw  # kept as typed; check says why

    def check(self, spec: Any, value: Any) -> str | None:
        f, label = spec.definition, spec.label
        digits = str(value).strip().replace(",", "")
        try:
            n = Decimal(digits)
        except InvalidOperation:
            return f"{label}必须是数字"
        if not n.is_finite():
            return f"{label}必须是数字"
        if self.name == "money" and not _MONEY.match(digits):
            return f"{label}最多保留两位小数"
        if f.min is not None and n < Decimal(str(f.min)):
            return f"{label}不能小于 {f.min:g}"
        if f.max is not None and n > Decimal(str(f.max)):
            return f"{label}不能大于 {f.max:g}"
        return None


class Money(Number):
    name, template = "money", "number"
    renders = "amount input in 元"
    checks = "a number with at most two decimals, `min`/`max`"

    def parse(self, spec: Any, form: Posted, name: str, regions: Any) -> Any:
        return FieldKind.parse(self, spec, form, name, regions)


class Code(FieldKind):
    """A number with a check digit, validated by the same function rules call."""

    valid: ClassVar[Callable[[Any], bool]]
    fix: ClassVar[str]
    keys = ()
    upper: ClassVar[bool] = False  # letters in it are capitals (身份证 X, 信用代码)

    def parse(self, spec: Any, form: Posted, name: str, regions: Any) -> Any:
        """Typed as people write them (``110105 19491231 002x``, ``138-0013-8000``, full-width
        digits): spaces and dashes go, full-width becomes half-width, ``x`` becomes ``X``."""
        raw = super().parse(spec, form, name, regions)
        if raw is None:
            return None
        typed = _SEPARATORS.sub("", unicodedata.normalize("NFKC", raw))
        return typed.upper() if self.upper else typed

    def check(self, spec: Any, value: Any) -> str | None:
        return None if type(self).valid(value) else f"{spec.label}不正确，{self.fix}"


class IdCard(Code):
    name, template, valid = "id_card", "id_card", staticmethod(cnid.id_card_valid)
    upper = True
    fix = "请核对 18 位公民身份号码（最后一位可能是 X）"
    renders = "18-character input for a 居民身份证号码 (masked in lists and logs)"
    checks = "GB 11643 checksum and a real birth date"

    def note(self, value: Any) -> str | None:
        """The birth date and sex the number encodes, so a mistyped digit shows at once."""
        born = cnid.id_card_birth_date(value) if cnid.id_card_valid(value) else None
        if not born:
            return None
        return (
            f"号码显示：出生日期 {born.year} 年 {born.month} 月 {born.day} 日，"
            f"性别 {cnid.id_card_sex(value)}。如不一致请核对号码。"
        )


class Phone(Code):
    name, template, valid = "phone", "phone", staticmethod(cnid.mobile_valid)
    fix = "请输入 11 位手机号码"
    renders, checks = "11-digit mobile number input", "a mainland mobile number (1[3-9]…)"


class Uscc(Code):
    name, template, valid = "uscc", "uscc", staticmethod(cnid.uscc_valid)
    upper = True
    fix = "请核对 18 位统一社会信用代码"
    renders, checks = "input for a 统一社会信用代码", "GB 32100 checksum"


class BankCard(Code):
    name, template, valid = "bank_card", "bank_card", staticmethod(cnid.bank_card_valid)
    fix = "请核对银行卡号"
    renders, checks = "bank card number input", "12-19 digits passing the Luhn check"


class Date(FieldKind):
    name, template, typed = "date", "date", False
    renders, checks = "day, month and year inputs", "a real date, stored as `YYYY-MM-DD`"
    keys, value_type, anchor_suffix = (), "date", "-year"

    def parse(self, spec: Any, form: Posted, name: str, regions: Any) -> Any:
        parts = {
            p: (text_of(form, f"{name}-{p}") or "").strip()[:4] for p in ("year", "month", "day")
        }
        if not any(parts.values()):
            return None
        try:
            return date(int(parts["year"]), int(parts["month"]), int(parts["day"])).isoformat()
        except ValueError:
            return parts  # kept as typed; the date check reports it

    def check(self, spec: Any, value: Any) -> str | None:
        if isinstance(value, str):
            try:
                date.fromisoformat(value)
                return None
            except ValueError:
                pass
        return f"{spec.label}必须是有效日期，例如 2025-09-30"

    def display(self, spec: Any, value: Any, regions: Any) -> Any:
        if isinstance(value, str) and len(value) == 10:
            return f"{value[:4]} 年 {int(value[5:7])} 月 {int(value[8:10])} 日"
        return super().display(spec, value, regions)


class DateTime(FieldKind):
    name, template, typed = "datetime", "datetime", False
    renders, checks = "date and time inputs", "a real date and time (`YYYY-MM-DDTHH:MM`)"
    keys = ()

    def check(self, spec: Any, value: Any) -> str | None:
        try:
            datetime.fromisoformat(str(value))
        except ValueError:
            return f"{spec.label}必须是有效的日期和时间，例如 2025-09-30 08:30"
        return None

    def display(self, spec: Any, value: Any, regions: Any) -> Any:
        if isinstance(value, str):
            return value.replace("T", " ")
        return super().display(spec, value, regions)


class Choice(FieldKind):
    """select and radio: one of the option values."""

    with_options, typed, empty_verb, keys = True, False, "请选择", ("options",)
    checks = "the answer is one of the option values"

    def check(self, spec: Any, value: Any) -> str | None:
        if str(value) not in {o.value for o in spec.options}:
            return f"请从列表中选择{spec.label}"
        return None

    def display(self, spec: Any, value: Any, regions: Any) -> Any:
        labels = {o.value: o.label for o in spec.options}
        return labels.get(str(value), str(value))


class Select(Choice):
    name, template, renders = "select", "select", "drop-down list of `options`"


class Radio(Choice):
    name, template, renders = "radio", "radio", "radio buttons, one per option"


class Checkboxes(Choice):
    name, template = "checkboxes", "checkboxes"
    renders, checks = "checkboxes, one per option", "a list of option values"
    value_type = "list"

    def parse(self, spec: Any, form: Posted, name: str, regions: Any) -> Any:
        return [v[:MAX_TEXT] for v in form.getlist(name) if isinstance(v, str)][:100]

    def empty_message(self, label: str) -> str:
        again = asked_again(label)
        return f"{again}（至少选择一项）" if again else f"请至少选择一项{label}"

    def check(self, spec: Any, value: Any) -> str | None:
        allowed = {o.value for o in spec.options}
        if not isinstance(value, list) or not all(str(v) in allowed for v in value):
            return f"请从列表中选择{spec.label}"
        return None

    def display(self, spec: Any, value: Any, regions: Any) -> Any:
        labels = {o.value: o.label for o in spec.options}
        if isinstance(value, list):
            return [labels.get(str(v), str(v)) for v in value]
        return super().display(spec, value, regions)


class Boolean(FieldKind):
    name, template, typed, empty_verb = "boolean", "boolean", False, "请选择"
    renders, checks = "是 / 否 radio buttons", "true or false"
    keys, value_type = (), "boolean"

    def parse(self, spec: Any, form: Posted, name: str, regions: Any) -> Any:
        raw = super().parse(spec, form, name, regions)
        return {"true": True, "false": False}.get(raw, raw) if raw is not None else None

    def check(self, spec: Any, value: Any) -> str | None:
        return None if value in (True, False, "true", "false") else f"请选择{spec.label}"

    def display(self, spec: Any, value: Any, regions: Any) -> Any:
        return {True: "是", False: "否"}.get(value, str(value))


class Region(FieldKind):
    name, template, typed, empty_verb = "region", "region", False, "请选择"
    renders = "province / city / county pickers down to `region_level`"
    checks = "a 6-digit administrative region code"
    keys, view_extra = ("region_level",), "regions"

    def parse(self, spec: Any, form: Posted, name: str, regions: Any) -> Any:
        """The deepest chosen code whose chain is consistent (a changed province drops the
        city)."""
        chosen: str | None = None
        for level in range(1, 4):
            code = (text_of(form, f"{name}-{level}") or "").strip()
            if not code or not regions.is_valid(code) or regions.parent(code) != chosen:
                break
            chosen = code
        return chosen

    def check(self, spec: Any, value: Any) -> str | None:
        return region_message(spec.label, spec.definition.region_level, value)

    def display(self, spec: Any, value: Any, regions: Any) -> Any:
        return regions.full_name(value) if regions.is_valid(value) else str(value)


class File(FieldKind):
    name, template, typed, empty_verb = "file", "file", False, "请上传"
    renders = "upload of the material named by `material`"
    checks = "file type sniffed from content, size within the material's `upload` limits"
    keys, value_type, view_extra = ("material",), "list", "material"
    posted = live = False

    def parse(self, spec: Any, form: Posted, name: str, regions: Any) -> Any:
        return None  # files arrive through their own upload, never as a form value

    def check(self, spec: Any, value: Any) -> str | None:
        return None

    def display(self, spec: Any, value: Any, regions: Any) -> Any:
        return str(value.get("name", "已上传")) if isinstance(value, dict) else str(value)


class Repeat(FieldKind):
    name, template, typed, empty_verb = "repeat", "repeat", False, "请至少添加一项"
    renders = (
        "a group of `fields` the citizen adds rows to (子女, 家庭成员…); rules read `row.<key>`"
    )
    checks = "`min_items`/`max_items` rows, each row checked by its fields"
    keys = ("fields", "min_items", "max_items", "item_label")
    rows, value_type, view_extra, live = True, "list", "rows", False

    def parse(self, spec: Any, form: Posted, name: str, regions: Any) -> Any:
        """The rows the page posted (``_rows.<name>`` counts them), each field by its type."""
        try:
            n = int(text_of(form, f"_rows.{name}") or 0)
        except ValueError:
            n = 0
        out = []
        for i in range(max(0, min(n, spec.definition.max_items, MAX_ROWS))):
            row: dict[str, Any] = {}
            for child in spec.children:
                if child.kind.answers:  # a file cell parses to None, as before
                    value = child.kind.parse(child, form, f"{name}.{i}.{child.key}", regions)
                    put(row, child.key, value)
            out.append(row)
        return out

    def check(self, spec: Any, value: Any) -> str | None:
        return None  # rows are checked field by field


class Declaration(FieldKind):
    name, template, typed = "declaration", "declaration", False
    renders, checks = "the `text` with one checkbox to tick (承诺)", "must be ticked"
    labelled, with_text, keys, value_type = False, True, ("text",), "boolean"

    def parse(self, spec: Any, form: Posted, name: str, regions: Any) -> Any:
        return True if text_of(form, name) in ("true", "on", "1") else None

    def empty_message(self, label: str) -> str:
        return "请阅读并勾选承诺"

    def check(self, spec: Any, value: Any) -> str | None:
        return None if value in (True, "true", "on", "1") else "请阅读并勾选承诺"

    def display(self, spec: Any, value: Any, regions: Any) -> Any:
        return "已阅读并同意"


class Info(FieldKind):
    name, template, typed, answers = "info", "info", False, False
    renders, checks = "the `text` as a paragraph; holds no answer", "nothing"
    labelled, with_text, keys, value_type = False, True, ("text",), "none"
    posted = live = False

    def parse(self, spec: Any, form: Posted, name: str, regions: Any) -> Any:
        return None

    def check(self, spec: Any, value: Any) -> str | None:
        return None


REGION_LEVELS = ("province", "city", "county")


def region_message(label: str, level: str, value: Any) -> str | None:
    """A 行政区划 answer must be a known code, down to the field's ``region_level`` where the
    table has that level (东莞、中山 have no counties; 直辖市 have no cities)."""
    table = RegionTable.load()
    if not isinstance(value, str) or not table.is_valid(value):
        return f"请选择{label}"
    have = REGION_LEVELS.index(table.level(value))
    if have < REGION_LEVELS.index(level) and table.children(value):
        return f"请选择{label}的{'市' if have == 0 else '区（县）'}"
    return None


#: the built-ins in the order the reference lists them (plugins follow by name)
BUILTIN_ORDER = (
    "text", "textarea", "number", "money", "date", "datetime", "select", "radio",
    "checkboxes", "boolean", "id_card", "phone", "uscc", "bank_card", "region", "address",
    "file", "repeat", "declaration", "info",
)  # fmt: skip


def names() -> list[str]:
    """Every field type name the definitions may use (built-ins and plugins)."""
    return field_type_names()


#: the plugin of a field type name, memoised (``FIELD_TYPES.register`` clears the memo)
kind_of = field_type
