"""What a bundle saves (三减: 减环节、减材料、减时间、减跑动), computed, never typed.

Each figure compares applying for the members one by one (the sum over the members' own
definitions) with applying for them as the bundle:

- questions: answerable fields of each member's form, summed; bundled, the distinct keys of
  the one form (the bundle's own questions included);
- materials: materials each member lists (not 非必要), summed: applying separately, each
  office asks for its own list; bundled, the de-duplicated list without what is passed along;
- visits: 到现场次数 summed; bundled, the most any member needs (one trip serves all);
- steps: routing steps summed; bundled, the steps of the joined plan (one joint acceptance);
- days: promised working days summed (one after the other); bundled, the plan's longest path.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Any

from yijian.compiled.matter import CompiledMatter, MaterialSpec, StepSpec
from yijian.defs.form import NO_ANSWER
from yijian.defs.matter import Necessity


@dataclass(frozen=True)
class Figure:
    separate: int
    bundled: int

    @property
    def saved(self) -> int:
        return self.separate - self.bundled


@dataclass(frozen=True)
class Savings:
    questions: Figure
    materials: Figure
    visits: Figure
    steps: Figure
    days: Figure

    def as_dict(self) -> dict[str, dict[str, int]]:
        """``{"questions": {"separate": 52, "bundled": 30, "saved": 22}, ...}`` for templates."""
        return {
            name: {"separate": f.separate, "bundled": f.bundled, "saved": f.saved}
            for name, f in vars(self).items()
        }


@dataclass(frozen=True)
class MemberFacts:
    """One member matter's own figures, as if applied for alone."""

    matter: str
    questions: frozenset[str]
    materials: int
    visits: int
    steps: int
    days: int


def member_facts(m: CompiledMatter) -> MemberFacts:
    d = m.matter
    return MemberFacts(
        matter=m.id,
        questions=frozenset(k for k, f in m.fields.items() if k and f.type not in NO_ANSWER),
        materials=sum(1 for ms in m.materials if ms.material.necessity != Necessity.非必要),
        visits=d.visits if d else 0,
        steps=len(m.steps),
        days=d.time_limits.promised.days if d else 0,
    )


def compute(
    members: Sequence[MemberFacts],
    own_questions: Collection[str],
    materials: Sequence[MaterialSpec],
    steps: Sequence[StepSpec],
    days: int,
    included: Collection[str] | None = None,
) -> Savings:
    """Savings over ``included`` members (all when None), given the composed bundle."""
    chosen = [m for m in members if included is None or m.matter in included]
    ids = {m.matter for m in chosen}
    questions = set(own_questions).union(*(m.questions for m in chosen))
    asked = [
        ms
        for ms in materials
        if ms.material.necessity != Necessity.非必要
        and set(ms.matters) & ids
        and ms.passed_from not in ids
    ]
    plan = [s for s in steps if not s.matter or s.matter in ids]
    return Savings(
        questions=Figure(sum(len(m.questions) for m in chosen), len(questions)),
        materials=Figure(sum(m.materials for m in chosen), len(asked)),
        visits=Figure(sum(m.visits for m in chosen), max((m.visits for m in chosen), default=0)),
        steps=Figure(sum(m.steps for m in chosen), len(plan)),
        days=Figure(sum(m.days for m in chosen), days),
    )


def summary(s: Savings) -> dict[str, Any]:
    """One line per figure in Chinese, for logs and the admin page."""
    names = {
        "questions": "填写项",
        "materials": "材料",
        "visits": "跑动次数",
        "steps": "环节",
        "days": "承诺时限（工作日）",
    }
    return {names[k]: f"{v['separate']} → {v['bundled']}" for k, v in s.as_dict().items()}
