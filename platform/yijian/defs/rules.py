"""``rules.yaml``: eligibility, derived values, parameters, and when materials and situations apply.

All logic of a matter sits in this one file so that an admin reads one place to see why a
citizen is refused, and ``cases.yaml`` tests it.
"""

from __future__ import annotations

from enum import StrEnum

from pydantic import Field

from yijian.defs.common import DatedValue, Def, Key, LocalId, Rule


class Effect(StrEnum):
    """What a failed eligibility rule does: block stops the application, warn only informs."""

    block = "block"
    warn = "warn"


class Eligibility(Def):
    id: LocalId = Field(description="Stable rule id, e.g. R3; cases name failing rules by it.")
    name: str = Field(description="Short description for staff and the guide, e.g. 未满 1 周岁.")
    when: Rule = Field(description="JsonLogic that must be TRUE for the applicant to qualify.")
    message: str = Field(description="Shown to the citizen when the rule fails, in Chinese.")
    effect: Effect = Field(Effect.block, description="block or warn.")
    applies_if: Rule | None = Field(
        None, description="Evaluate the rule only when this is true (e.g. once a date is given)."
    )


class Derived(Def):
    key: Key = Field(description="Name of the value, read by rules as a variable.")
    label: str | None = Field(None, description="Label when shown to staff.")
    rule: Rule = Field(description="JsonLogic computing the value from answers and context.")


class Parameter(Def):
    """A value set by policy: it carries the date it takes effect (OpenFisca-style)."""

    description: str = Field(description="What the value means and its unit.")
    unit: str | None = Field(None, description="Unit, e.g. 天, 月, 平方米.")
    values: tuple[DatedValue, ...] = Field(
        min_length=1, description="Values by the date they take effect; the latest applies."
    )


class RulesDef(Def):
    """rules.yaml."""

    parameters: dict[LocalId, Parameter] = Field(
        {}, description="Parameters, read by rules as `params.<name>`."
    )
    derived: tuple[Derived, ...] = Field((), description="Derived values, in evaluation order.")
    eligibility: tuple[Eligibility, ...] = Field((), description="Eligibility rules.")
    materials: dict[LocalId, Rule] = Field(
        {}, description="Material id → rule: the material is required only when the rule is true."
    )
    situations: dict[LocalId, Rule] = Field(
        {}, description="Situation id → rule: the situation applies when the rule is true."
    )


class SharedParameters(Def):
    """A file in rules/params/: parameters shared by many matters, read as `params.<name>`."""

    parameters: dict[LocalId, Parameter] = Field(description="Shared parameters.")
