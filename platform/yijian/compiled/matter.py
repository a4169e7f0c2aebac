"""The runtime model of a matter: definitions resolved and every rule compiled, ready to evaluate.

Built once per change by :mod:`yijian.load.compiler`, held by a registry snapshot, and shared
by every request; nothing here is mutated after construction. A bundle compiles to the same
shape (with ``members``), so the form runtime serves matters and bundles alike.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from yijian.defs.common import Def
from yijian.defs.fieldtype import FieldTypePlugin, field_type
from yijian.defs.form import FieldDef, FieldType, Option
from yijian.defs.matter import Material, MatterDef, Situation
from yijian.defs.routing import Step
from yijian.defs.rules import Parameter
from yijian.rules.engine import CompiledRule


@dataclass(frozen=True)
class FieldSpec:
    key: str  # dotted answer key; "" for info fields
    type: FieldType
    label: str
    definition: FieldDef  # the resolved definition (library field merged with overrides)
    page: str
    required: bool | CompiledRule = False
    visible: CompiledRule | None = None
    validations: tuple[tuple[CompiledRule, str], ...] = ()
    options: tuple[Option, ...] = ()
    children: tuple[FieldSpec, ...] = ()  # repeat rows
    origin: str = ""  # matter id that defined it (bundles: the winning definition)
    #: the type's plugin, looked up once when the spec is built, so a request never does
    kind: FieldTypePlugin = field(default=None, compare=False, repr=False)  # type: ignore[assignment]

    def __post_init__(self) -> None:
        if self.kind is None:
            object.__setattr__(self, "kind", field_type(self.type))

    @property
    def id(self) -> str:
        """HTML id and error-summary anchor."""
        return "f-" + self.key.replace(".", "-") if self.key else f"f-info-{id(self)}"


@dataclass(frozen=True)
class PageSpec:
    id: str
    title: str
    intro: str | None
    visible: CompiledRule | None
    fields: tuple[FieldSpec, ...]
    matter: str = ""  # bundles: the member matter the page belongs to ("" for shared pages)


@dataclass(frozen=True)
class EligibilitySpec:
    id: str
    name: str
    when: CompiledRule
    message: str
    block: bool
    applies_if: CompiledRule | None = None
    matter: str = ""  # bundles: the member matter whose rule it is ("" for the bundle's own)


@dataclass(frozen=True)
class StepSpec:
    step: Step
    when: CompiledRule | None
    department: str
    matter: str = ""


@dataclass(frozen=True)
class MaterialSpec:
    material: Material
    condition: CompiledRule | None
    matters: tuple[str, ...] = ()  # bundles: every member that asks for it
    passed_from: str | None = None  # bundles: member matter that produces it (never asked)


@dataclass(frozen=True)
class CompiledMatter:
    """A matter (or a bundle, with ``members``) ready to serve."""

    id: str
    version: str  # content hash of its folder and everything it uses
    kind: str  # "matter" or "bundle"
    name: str
    definition: Def  # MatterDef or BundleDef
    pages: tuple[PageSpec, ...]
    fields: Mapping[str, FieldSpec]  # every answer field by key, repeat children included
    derived: tuple[tuple[str, CompiledRule], ...]
    eligibility: tuple[EligibilitySpec, ...]
    materials: tuple[MaterialSpec, ...]
    situations: tuple[tuple[Situation, CompiledRule | None], ...]
    steps: tuple[StepSpec, ...]
    parameters: Mapping[str, Parameter]
    members: tuple[CompiledMatter, ...] = ()
    extra: Mapping[str, Any] = field(default_factory=dict)  # bundle composition facts
    #: derived value key → its label in rules.yaml, for explanations (yijian.runtime.explanation)
    labels: Mapping[str, str] = field(default_factory=dict)
    #: form.yaml ``applicant``: the answer or derived keys of 本人's name and ID number
    applicant: tuple[str, str | None] | None = None
    #: form.yaml ``on_receipt``: answer keys printed on the receipt (a bundle: its members' too)
    on_receipt: tuple[str, ...] = ()

    @property
    def matter(self) -> MatterDef | None:
        return self.definition if isinstance(self.definition, MatterDef) else None
