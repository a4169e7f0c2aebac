"""Which member matters a bundle application includes, and whether it may go ahead.

Selection is expressed as ordinary JsonLogic, compiled and checked like every other rule, so
an ``include: rule`` member reading a misspelled key fails at load with file:line. The
decision itself is a pure function of per-member facts, shared by the live form banner, the
submission (拆件: one sub-case per included member) and ``yijian test``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from yijian.defs.bundle import ExclusiveGroup, Inclusion, Member

#: Answer key of the optional-matter ticks (a checkboxes field of matter ids).
OPTIONAL_KEY = "bundle.optional"


def selection_rule(member: Member) -> Any:
    """JsonLogic that is true when the citizen's answers select ``member``."""
    if member.include == Inclusion.optional:
        return {"in": [member.matter, {"var": OPTIONAL_KEY}]}
    if member.include == Inclusion.rule:
        return member.when
    return True


def exclusive_rule(group: ExclusiveGroup, members: Mapping[str, Member]) -> Any:
    """JsonLogic that is true when at most one matter of ``group`` is selected."""
    counts = [{"if": [selection_rule(members[m]), 1, 0]} for m in group.matters if m in members]
    return {"<=": [{"+": counts}, 1]}


@dataclass(frozen=True)
class MemberState:
    """What the answers say about one member: the banner renders exactly this."""

    matter: str
    name: str
    include: str  # required / optional / rule
    selected: bool  # required, ticked, or chosen by its rule
    eligible: bool  # no block rule of the member fails (unanswered rules do not fail)
    failing: tuple[tuple[str, str], ...] = ()  # (rule id, message), warnings included
    included: bool = False  # goes ahead in this application (set by decide)

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "include": self.include,
            "selected": self.selected,
            "included": self.included,
            "eligible": self.eligible,
            "failing": [{"id": i, "message": m} for i, m in self.failing],
        }


@dataclass(frozen=True)
class Decision:
    members: tuple[MemberState, ...]
    eligible: bool

    @property
    def included(self) -> list[str]:
        return [s.matter for s in self.members if s.included]


def decide(states: Sequence[MemberState], partial: bool, bundle_ok: bool) -> Decision:
    """Who goes ahead, and whether the application may be submitted.

    A selected member goes ahead; with ``partial`` an ineligible optional or rule-chosen
    member drops out and the rest go ahead (部分办理), without it any ineligible selected
    member stops the whole application. A required member is required: if it is
    ineligible, the bundle is too. ``bundle_ok`` is false when a bundle-level block rule
    (its own rules.yaml, or an exclusive group) fails.
    """
    out = []
    for s in states:
        goes = s.selected and (s.eligible or not partial)
        out.append(
            MemberState(s.matter, s.name, s.include, s.selected, s.eligible, s.failing, goes)
        )
    required_ok = all(s.eligible for s in out if s.include == Inclusion.required)
    selected_ok = partial or all(s.eligible for s in out if s.selected)
    eligible = bundle_ok and required_ok and selected_ok and any(s.included for s in out)
    return Decision(tuple(out), eligible)
