"""``routing.yaml``: the steps a case goes through, who does them, and their time limits.

Steps run in parallel unless ``after:`` orders them; a bundle joins the routings of its matters
into one plan the same way, so the promised limit of a plan is derived, not typed.
"""

from __future__ import annotations

from enum import StrEnum

from pydantic import Field, model_validator

from yijian.defs.common import Def, LocalId, Rule


class StepKind(StrEnum):
    """The national process stages (受理 → 审查 → 决定 → 制证 → 送达)."""

    accept = "accept"
    review = "review"
    decide = "decide"
    issue = "issue"
    deliver = "deliver"
    inspect = "inspect"
    other = "other"


class FactType(StrEnum):
    """What a reviewer can type as a staff-entered fact (a subset of the form's field types)."""

    text = "text"
    textarea = "textarea"
    number = "number"
    date = "date"
    select = "select"
    boolean = "boolean"


class FactOption(Def):
    value: str = Field(description="Stored value.")
    label: str = Field(description="Text shown to the reviewer.")


class StaffField(Def):
    """A fact the reviewer of a step enters (评定结论, 残疾等级, 现场核查结果 …).

    Typed and validated like a form field; stored in the step's event (``facts``), and
    readable by later steps' ``when`` rules and the member rules of a bundle as
    ``facts.<key>``."""

    key: LocalId = Field(description="Fact key; rules read it as facts.<key>.")
    label: str = Field(description="Label shown to the reviewer, e.g. 残疾等级.")
    type: FactType = Field(description="text, textarea, number, date, select, boolean.")
    required: bool = Field(True, description="Whether the step cannot pass without it.")
    options: tuple[FactOption, ...] = Field((), description="Choices of a select.")
    min: float | None = Field(None, description="Lowest number allowed (number).")
    max: float | None = Field(None, description="Highest number allowed (number).")
    hint: str | None = Field(None, description="Hint under the field.")

    @model_validator(mode="after")
    def _options_fit(self) -> StaffField:
        if self.type == FactType.select and not self.options:
            raise ValueError("a select fact needs options: [{value, label}, ...]")
        if self.type != FactType.select and self.options:
            raise ValueError("only a select fact takes options")
        return self


class Step(Def):
    id: LocalId = Field(description="Step id, unique in the matter.")
    name: str = Field(description="Step name shown to staff and in the guide, e.g. 受理.")
    kind: StepKind = Field(description="accept, review, decide, issue, deliver, inspect, other.")
    department: str | None = Field(None, description="Department; defaults to the matter's.")
    departments: tuple[str, ...] = Field(
        (),
        description="A joint step (联合勘验/会审): one task that each of these departments signs.",
    )
    role: str | None = Field(None, description="Staff role that works the step, e.g. 综合窗口.")
    time_limit: int = Field(ge=0, le=365, description="Working days allowed (0: same day).")
    counts_toward_limit: bool = Field(
        True, description="False for 制证/邮寄 and special procedures outside the promised limit."
    )
    when: Rule | None = Field(None, description="Rule; the step applies only when true.")
    after: tuple[LocalId, ...] = Field((), description="Steps that must finish first.")
    group: str | None = Field(None, description="Parallel group label shown in the plan.")
    seal: str | None = Field(None, description="Seal used on this step's result document.")
    output: str | None = Field(None, description="What the step produces, e.g. 受理回执.")
    fields: tuple[StaffField, ...] = Field(
        (), description="Facts the reviewer enters at this step (typed, validated)."
    )


class RoutingDef(Def):
    """routing.yaml."""

    steps: tuple[Step, ...] = Field(min_length=1, description="Steps of the matter.")
