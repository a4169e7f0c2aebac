"""``cases.yaml``: example applications and what must come out (like OpenFisca's YAML tests)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from pydantic import Field

from yijian.defs.common import ID_RE, Def, Key, LocalId

#: A rule or step id, or in a bundle ``<member matter>.<id>`` (e.g. ``birth-registration.R1``).
Ref = Annotated[
    str, Field(pattern=rf"^({ID_RE.pattern[1:-1]}\.)?{ID_RE.pattern[1:-1]}$", max_length=130)
]


class CaseContext(Def):
    today: date = Field(description="The day the case is evaluated on.")
    region: str | None = Field(None, description="Region code of the site, e.g. 440000.")
    channel: str | None = Field(None, description="online or window.")


class Expect(Def):
    """What must come out; keys left out are not checked."""

    eligible: bool | None = Field(None, description="Whether no block rule fails.")
    failing: tuple[Ref, ...] | None = Field(
        None, description="Ids of every failing rule (bundles: `member.id` for a member's rule)."
    )
    visible: tuple[Key, ...] | None = Field(None, description="Keys that must be visible.")
    hidden: tuple[Key, ...] | None = Field(None, description="Keys that must be hidden.")
    required: tuple[Key, ...] | None = Field(None, description="Keys that must be required.")
    errors: dict[str, str] | None = Field(
        None,
        description="Key → text its error message must contain; every other answered field "
        "must have no error (unanswered required fields are left to `complete`).",
    )
    complete: bool | None = Field(
        None, description="True: no field has any error and nothing required is missing."
    )
    materials: tuple[LocalId, ...] | None = Field(
        None, description="Exactly the materials required (whatever their source)."
    )
    uploads: tuple[LocalId, ...] | None = Field(
        None,
        description="Exactly the materials the citizen provides (申请人自备, not passed along).",
    )
    situations: tuple[Ref, ...] | None = Field(
        None, description="Exactly these situations (bundles: `member.id` for a member's)."
    )
    steps: tuple[Ref, ...] | None = Field(
        None, description="Exactly the steps that apply (bundles: `member.step`)."
    )
    matters: tuple[LocalId, ...] | None = Field(None, description="Bundle: matters included.")
    derived: dict[Key, Any] | None = Field(None, description="Derived values to compare.")
    deadline: date | None = Field(
        None,
        description="Promised deadline counted from `today`; a bundle's is this application's "
        "own plan (the longest path over the members it includes), not the bundle's worst case.",
    )
    commitments: tuple[Ref, ...] | None = Field(
        None,
        description="Exactly the 告知承诺 in force: ticked or made by a form answer "
        "(bundles: `member.id`).",
    )
    visits: int | None = Field(
        None,
        ge=0,
        le=5,
        description="跑动次数 the application implies: the matter's `visits` (a bundle: the most "
        "any included member needs, one trip serves all), at least 1 when `context.channel` "
        "is window.",
    )


class Case(Def):
    name: str = Field(description="Case name, printed on failure.")
    context: CaseContext = Field(description="Evaluation day and site.")
    answers: dict[str, Any] = Field({}, description="Answers, nested or with dotted keys.")
    commitments: tuple[Ref, ...] = Field(
        (),
        description="告知承诺 the applicant ticks (matter.yaml `commitments` ids; bundles: "
        "`member.id`).",
    )
    params: dict[LocalId, Any] = Field(
        {},
        description="Parameter name → the value this case runs with, whatever its dated values "
        "say on `context.today`: both sides of a county switch are tested without inventing "
        "dates. Names a parameter of the matter, the bundle or rules/params/.",
    )
    expect: Expect = Field(description="What must come out.")


class CasesDef(Def):
    """cases.yaml."""

    cases: tuple[Case, ...] = Field(min_length=1, description="Example applications.")
