"""Evaluating a compiled bundle: selection, per-member eligibility, materials and steps.

:func:`yijian.runtime.evaluate.evaluate` serves matters and bundles alike; for a bundle it asks this
module which pages and fields apply (those of selected members) and, once the rules are
evaluated, which members go ahead. Kept apart so the matter path stays as simple as it was.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from yijian.compiled.matter import CompiledMatter, FieldSpec, MaterialSpec, PageSpec, StepSpec
from yijian.compose.inclusion import Decision, MemberState, decide
from yijian.compose.plan import longest_path
from yijian.compose.savings import compute
from yijian.defs.matter import Necessity

Truthy = Callable[[Any, Any], bool]


@dataclass(frozen=True)
class Selection:
    """Which members the answers select, before eligibility is known."""

    selected: frozenset[str]

    def shows_page(self, m: CompiledMatter, page: PageSpec) -> bool:
        if page.matter:
            return page.matter in self.selected
        askers = m.extra["page_matters"].get(page.id)
        return askers is None or bool(set(askers) & self.selected)

    def shows_field(self, m: CompiledMatter, f: FieldSpec) -> bool:
        askers = m.extra["field_matters"].get(f.key, ())
        return not askers or bool(set(askers) & self.selected)


def select(m: CompiledMatter, handle: Any, truthy: Truthy) -> Selection:
    chosen = set()
    for mid, _, rule in m.extra["selection"]:
        try:
            if truthy(rule, handle):
                chosen.add(mid)
        except Exception:  # a half-filled questionnaire selects nothing yet
            continue
    return Selection(frozenset(chosen))


def decide_members(m: CompiledMatter, sel: Selection, results: Sequence[Any]) -> Decision:
    """Member states from the evaluated rules (``RuleResult``s of every rule of the bundle)."""
    info = m.extra["members"]
    states = []
    for mid, include, _ in m.extra["selection"]:
        mine = [r for r in results if r.spec.matter == mid and r.passed is False]
        eligible = not any(r.spec.block for r in mine)
        failing = tuple((r.spec.id, r.spec.message) for r in mine)
        states.append(
            MemberState(mid, info[mid]["name"], include, mid in sel.selected, eligible, failing)
        )
    bundle_ok = not any(r.passed is False and r.spec.block for r in results if not r.spec.matter)
    return decide(states, m.extra["partial"], bundle_ok)


def materials_for(
    m: CompiledMatter, going: set[str], handle: Any, truthy: Truthy
) -> list[MaterialSpec]:
    """Materials needed by the members going ahead; passed along only if the producer goes."""
    out = []
    conditions = m.extra["material_conditions"]
    for ms in m.materials:
        needed = any(
            mid in going and (cond is None or truthy(cond, handle))
            for mid, cond in conditions.get(ms.material.id, ())
        )
        if not needed or ms.material.necessity == Necessity.非必要:
            continue
        if ms.passed_from is not None and ms.passed_from not in going:
            ms = dataclasses.replace(ms, passed_from=None)
        out.append(ms)
    return out


def steps_for(m: CompiledMatter, going: set[str], handle: Any, truthy: Truthy) -> list[StepSpec]:
    return [
        s
        for s in m.steps
        if (not s.matter or s.matter in going) and (s.when is None or truthy(s.when, handle))
    ]


def extra_for(
    m: CompiledMatter,
    decision: Decision,
    materials: Sequence[MaterialSpec],
    steps: Sequence[StepSpec],
) -> dict[str, Any]:
    """``Outcome.extra`` of a bundle: member states, this application's plan and savings."""
    going = set(decision.included)
    days, path = longest_path(steps)
    savings = compute(
        m.extra["member_facts"],
        m.extra["own_questions"],
        m.materials,
        m.steps,
        days,
        included=going,
    )
    return {
        "members": {s.matter: s.as_dict() for s in decision.members},
        "promised_days": days,
        "critical_path": list(path),
        "savings": savings.as_dict(),
        "passed": {ms.material.id: ms.passed_from for ms in materials if ms.passed_from},
    }
