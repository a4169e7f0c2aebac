"""``bundle.yaml``: a 一件事 that joins several matters into one application.

The composition (one form, one set of materials, one plan) is computed from the matters'
own definitions; the bundle only says which matters, who leads, and how conflicts resolve.
"""

from __future__ import annotations

from enum import StrEnum

from pydantic import Field, model_validator

from yijian.defs.common import CodeStr, Def, Key, LocalId, Rule, ServiceObject, fail


class Inclusion(StrEnum):
    """required: always included; optional: the citizen ticks it; rule: included when `when`."""

    required = "required"
    optional = "optional"
    rule = "rule"


class Member(Def):
    matter: LocalId = Field(description="Matter id (its folder name under matters/).")
    include: Inclusion = Field(Inclusion.required, description="required, optional or rule.")
    when: Rule | None = Field(None, description="Rule choosing the matter (include: rule).")
    label: str | None = Field(None, description="How the option reads to the citizen.")
    after: tuple[LocalId, ...] = Field(
        (), description="Member matters whose plan must finish before this one starts."
    )
    requires_facts: Rule | None = Field(
        None,
        description="Rule over facts staff entered in the members it waits for (facts.<key>); "
        "false once they are done: this member drops out with `requires_message`.",
    )
    requires_message: str | None = Field(
        None, description="Why the member drops out when `requires_facts` is false (中文)."
    )

    @model_validator(mode="after")
    def _when_with_rule(self) -> Member:
        """`when` is what makes a rule member; anywhere else it would be silently ignored."""
        if self.include == Inclusion.rule and self.when is None:
            raise fail("E-BUNDLE-MEMBER", "include: rule needs `when` (the rule that chooses it)")
        if self.include != Inclusion.rule and self.when is not None:
            raise fail("E-BUNDLE-MEMBER", f"`when` applies to include: rule, not {self.include}")
        if (self.requires_facts is None) != (self.requires_message is None):
            raise fail("E-BUNDLE-MEMBER", "requires_facts and requires_message go together")
        return self


class ExclusiveGroup(Def):
    """Mutually exclusive matters, e.g. normal vs early retirement: at most one applies."""

    id: LocalId = Field(description="Group id.")
    name: str = Field(description="Group name shown to staff.")
    matters: tuple[LocalId, ...] = Field(min_length=2, description="Member matter ids.")


class Question(Def):
    """情形引导: a plain-language question whose answer chooses matters or situations."""

    key: Key = Field(description="Answer key of the question (a field of the bundle form).")
    sets: dict[str, Rule] = Field(
        {}, description="Derived key → rule, e.g. food.cold_dishes from 有拍黄瓜等凉菜吗."
    )


class BundleDef(Def):
    """bundle.yaml."""

    code: CodeStr | None = Field(None, description="Bundle code where the province assigns one.")
    name: str = Field(description="Bundle name, e.g. 新生儿出生一件事.")
    summary: str | None = Field(None, description="One paragraph for the catalog and guide.")
    themes: tuple[str, ...] = Field((), description="Life-event themes.")
    aliases: tuple[str, ...] = Field(
        (), description="What citizens call it (生孩子, 开饭店 …): the catalog search finds them."
    )
    illustrative: tuple[str, ...] = Field(
        (),
        description="Elements whose value is illustrative, not yet the county's own (dotted, "
        "e.g. time_limits.legal, materials.<id>): the guide shows the value plainly and "
        "`yijian check` lists each as an E-PLACEHOLDER warning until it is removed here.",
    )
    service_objects: tuple[ServiceObject, ...] = Field(min_length=1, description="服务对象.")
    lead_department: str = Field(description="牵头部门: owns the clock and the joint reply.")
    matters: tuple[Member, ...] = Field(min_length=2, description="The matters it joins.")
    exclusive: tuple[ExclusiveGroup, ...] = Field((), description="Mutually exclusive matters.")
    partial: bool = Field(
        True, description="Whether it may go ahead with the eligible matters only (部分办结)."
    )
    promised_days: int | None = Field(
        None,
        ge=0,
        description="Published promise in working days; checked against the derived plan "
        "(smaller: error, larger: warning). The clock uses the derived plan.",
    )
    prefer: dict[Key, LocalId] = Field(
        {}, description="Key → matter whose definition wins where matters define a key differently."
    )
    questions: tuple[Question, ...] = Field((), description="Situation questionnaire.")
