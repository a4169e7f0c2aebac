"""``routing.yaml``: the steps a case goes through, who does them, and their time limits.

Steps run in parallel unless ``after:`` orders them; a bundle joins the routings of its matters
into one plan the same way, so the promised limit of a plan is derived, not typed.
"""

from __future__ import annotations

from enum import StrEnum

from pydantic import Field

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


class Step(Def):
    id: LocalId = Field(description="Step id, unique in the matter.")
    name: str = Field(description="Step name shown to staff and in the guide, e.g. 受理.")
    kind: StepKind = Field(description="accept, review, decide, issue, deliver, inspect, other.")
    department: str | None = Field(None, description="Department; defaults to the matter's.")
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


class RoutingDef(Def):
    """routing.yaml."""

    steps: tuple[Step, ...] = Field(min_length=1, description="Steps of the matter.")
