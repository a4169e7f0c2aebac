"""``form.yaml`` and the shared field library in ``forms/``.

A field is one question. ``use: person.id_number`` takes a field from ``forms/person.yaml`` so
that the same question is defined once; bundles merge fields by key, so the same key is the
same question, asked once.
"""

from __future__ import annotations

import difflib
from enum import StrEnum
from typing import Any, Literal

from pydantic import Field, ValidationInfo, field_validator, model_validator

from yijian.defs.common import CodeStr, Def, Key, LocalId, Rule, fail
from yijian.defs.fieldtype import field_type, field_type_names


class FieldType(StrEnum):
    """The built-in field types' names, as constants for code that names one (``FieldType.info``)
    and for the editor schema's completion list. Which names a definition may use, and what a
    field of each type must say, is the registry's business (``defs.fieldtype.field_type``):
    every type, these included, is a plugin at the ``field_types`` extension point."""

    text = "text"
    textarea = "textarea"
    number = "number"
    money = "money"
    date = "date"
    datetime = "datetime"
    select = "select"
    radio = "radio"
    checkboxes = "checkboxes"
    boolean = "boolean"
    id_card = "id_card"
    phone = "phone"
    uscc = "uscc"
    bank_card = "bank_card"
    region = "region"
    address = "address"
    file = "file"
    repeat = "repeat"
    declaration = "declaration"
    info = "info"


#: Built-in types that hold no answer (compose's savings; a compiled spec asks ``kind.answers``).
NO_ANSWER = frozenset({FieldType.info})


class Option(Def):
    value: CodeStr = Field(description="Stored value (a string).")
    label: str = Field(description="Text shown to the citizen.")
    hint: str | None = Field(None, description="Hint under the option.")


class Validation(Def):
    """A rule that must be true for the answer to be accepted, and the message when it is not."""

    rule: Rule = Field(description="JsonLogic; true means valid. `var` reads any answer.")
    message: str = Field(description="Message shown next to the field, in Chinese.")


class Prefill(Def):
    """Where a value comes from before the citizen sees the field (实名认证, 电子证照, 数据共享)."""

    source: str = Field(description="Prefill source name, e.g. realname, licence, birth_record.")
    path: str = Field(description="Path inside the source's record, e.g. name or id_number.")
    editable: bool = Field(True, description="Whether the citizen may change the prefilled value.")


class FieldDef(Def):
    """One field of a page, or of a repeat group, or of the library (then without key)."""

    use: str | None = Field(
        None, description="Take the field from forms/: `person.id_number` is forms/person.yaml."
    )
    key: Key | None = Field(None, description="Dotted answer key; defaults to `use`.")
    type: FieldType | str | None = Field(
        None,
        description="Field type (required unless `use`): a built-in or a plugin's name.",
        json_schema_extra={"x-yijian": "field-type"},
    )
    label: str | None = Field(None, description="Question text (required unless `use`/info).")
    help: str | None = Field(None, description="Hint under the label.")
    required: bool | dict[str, Any] | None = Field(
        None, description="true, false, or a rule making it required (default false)."
    )
    visible_if: Rule | None = Field(None, description="Rule; the field shows only when true.")
    validations: tuple[Validation, ...] = Field((), description="Extra rules with messages.")
    prefill: Prefill | None = Field(None, description="Where the value is prefilled from.")
    options: tuple[Option, ...] = Field((), description="Choices for select/radio/checkboxes.")
    placeholder: str | None = Field(None, description="Example value inside the input.")
    min: float | None = Field(None, description="Smallest number (number, money).")
    max: float | None = Field(None, description="Largest number (number, money).")
    min_length: int | None = Field(None, ge=0, description="Fewest characters (text).")
    max_length: int | None = Field(None, ge=1, description="Most characters (text, textarea).")
    charset: Literal["name", "hanzi"] | None = Field(
        None,
        description="Characters a text answer may hold: name (a person's name: letters of any "
        "script incl. 生僻字, the 间隔号 ·, spaces) or hanzi (Chinese characters and · only, "
        "e.g. a newborn's name in 规范汉字). Control and bidi characters are refused in every "
        "text answer.",
    )
    unit: str | None = Field(None, description="Unit shown after a number, e.g. 平方米.")
    material: LocalId | None = Field(None, description="Material id a file field uploads.")
    fields: tuple[FieldDef, ...] = Field((), description="Fields of one row (repeat).")
    min_items: int = Field(0, ge=0, description="Fewest rows (repeat).")
    max_items: int = Field(20, ge=1, le=200, description="Most rows (repeat).")
    item_label: str | None = Field(None, description="Name of one row, e.g. 子女 (repeat).")
    text: str | None = Field(None, description="Body text (declaration, info).")
    region_level: str = Field("county", description="Deepest level: province, city or county.")
    default: Any = Field(None, description="Initial value.")

    @field_validator("type", mode="before")
    @classmethod
    def _known_type(cls, value: Any) -> Any:
        """A name registered at the ``field_types`` extension point (the built-ins are too)."""
        if value is None or isinstance(value, FieldType):
            return value
        if not isinstance(value, str):
            raise fail("E-FIELD-TYPE", f"field type must be a name, not {value!r}")
        if value in FieldType.__members__:
            return FieldType(value)
        known = field_type_names()
        if value not in known:
            close = difflib.get_close_matches(value, known, n=1, cutoff=0.6)
            hint = f"; did you mean '{close[0]}'?" if close else ""
            raise fail("E-FIELD-TYPE", f"unknown field type '{value}'{hint}")
        return value

    @field_validator("options", mode="before")
    @classmethod
    def _short_options(cls, value: Any) -> Any:
        """Allow `options: [男, 女]` as a short form of value/label pairs."""
        if isinstance(value, list):
            return [{"value": v, "label": str(v)} if isinstance(v, str) else v for v in value]
        return value

    @model_validator(mode="after")
    def _by_type(self, info: ValidationInfo) -> FieldDef:
        in_library = bool(info.context and info.context.get("library"))
        if self.use is not None:
            return self  # completed from the library by the loader, then checked again
        if self.type is None:
            raise fail("E-FIELD-INCOMPLETE", "a field needs `type` (or `use:` a library field)")
        problem = field_type(self.type).check_definition(self, in_library)
        if problem is not None:
            raise fail(*problem)
        if self.region_level not in ("province", "city", "county"):
            raise fail("E-FIELD-INCOMPLETE", "region_level is province, city or county")
        return self


class Page(Def):
    id: LocalId = Field(description="Page id, used in URLs.")
    title: str = Field(description="Page heading.")
    intro: str | None = Field(None, description="Text under the heading.")
    visible_if: Rule | None = Field(None, description="Rule; the page is skipped when false.")
    fields: tuple[FieldDef, ...] = Field(min_length=1, description="The page's fields, in order.")


class ApplicantDef(Def):
    """Who 本人 is: the person the form names as applying for themself (申请方式 本人申请)."""

    name: Key = Field(description="Answer or derived key holding the person's name.")
    id_number: Key | None = Field(
        None, description="Answer or derived key holding the person's 公民身份号码."
    )


class FormDef(Def):
    """form.yaml."""

    title: str | None = Field(None, description="Form title; defaults to the matter name.")
    pages: tuple[Page, ...] = Field(min_length=1, description="Pages, one step each.")
    applicant: ApplicantDef | None = Field(
        None,
        description="Who applies when the answer to `applying.mode` is 本人 (or unanswered): "
        "the receipt's and the case page's 申请人; a bundle without one takes its first "
        "member's. Under 代办 the 代办人 of the `applying` library fields applies for this "
        "person.",
    )
    on_receipt: tuple[Key, ...] = Field(
        (),
        description="Answer keys printed on the 收件凭证 with their labels, when shown and "
        "answered (e.g. how the result is delivered: 领取方式, 邮寄地址); a bundle prints "
        "its own and its included members'.",
    )


class LibraryDef(Def):
    """A file in forms/: named fields reused with `use: <file>.<name>`."""

    description: str | None = Field(None, description="What this group of data elements is.")
    fields: dict[LocalId, FieldDef] = Field(description="Fields by name (no `key`).")
