"""One plan from the members' routings: a graph of steps, its cycles and its longest path.

Every member's steps keep their own order; members run in parallel unless ordered, either by
``after:`` in bundle.yaml or because one consumes what another produces (materials.py). When
the bundle's own routing has an ``accept`` step, it is the one joint acceptance (一窗受理)
and replaces every member's ``accept`` steps. The promised limit of the plan is derived, never
typed: the longest path through the graph, counting the limits of steps that count toward it
(制证 and 邮寄 do not). Over one application's own steps it is that application's promise, and
each member's place in it is that member's due day (``member_offsets``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from yijian.compiled.matter import StepSpec
from yijian.defs.routing import StepKind


def plan_id(s: StepSpec) -> str:
    """A step's id in the plan: ``matter.step`` for members, the bare id for the bundle's."""
    return f"{s.matter}.{s.step.id}" if s.matter else s.step.id


@dataclass(frozen=True)
class Ends:
    first: tuple[str, ...]  # plan ids of steps with nothing before them inside the member
    last: tuple[str, ...]  # plan ids of steps nothing inside the member waits for


def join_routings(
    members: Sequence[tuple[str, Sequence[StepSpec]]],
    own: Sequence[StepSpec],
    order: Mapping[str, Sequence[str]],
) -> tuple[tuple[StepSpec, ...], dict[str, Ends]]:
    """All steps of the plan with ``step.after`` rewritten to plan ids.

    ``order`` maps a member to the members it must wait for. ``own`` are the bundle's steps;
    their ``after`` may name a bundle step or a member (meaning that member's last steps).
    """
    accept = next((s.step.id for s in own if s.step.kind == StepKind.accept), None)
    joined: dict[str, list[StepSpec]] = {}
    ends: dict[str, Ends] = {}
    for mid, steps in members:
        absorbed = {s.step.id for s in steps if accept and s.step.kind == StepKind.accept}
        kept = [s for s in steps if s.step.id not in absorbed]
        inner = {s.step.id: [a for a in s.step.after if a not in absorbed] for s in kept}
        waited = {a for deps in inner.values() for a in deps}
        first = tuple(f"{mid}.{i}" for i, deps in inner.items() if not deps)
        last = tuple(f"{mid}.{i}" for i in inner if i not in waited)
        ends[mid] = Ends(first, last)
        rewritten = []
        for s in kept:
            deps = [f"{mid}.{a}" for a in inner[s.step.id]]
            if accept and (not deps or set(s.step.after) & absorbed):
                deps.insert(0, accept)
            rewritten.append(
                StepSpec(
                    s.step.model_copy(update={"after": tuple(deps)}), s.when, s.department, mid
                )
            )
        joined[mid] = rewritten
    for mid, before in order.items():
        extra = tuple(x for b in before if b in ends for x in ends[b].last)
        joined[mid] = [
            _after(s, extra) if f"{mid}.{s.step.id}" in ends[mid].first else s
            for s in joined.get(mid, [])
        ]
    own_steps = []
    for s in own:
        deps = tuple(x for a in s.step.after for x in (ends[a].last if a in ends else (a,)))
        own_steps.append(
            StepSpec(s.step.model_copy(update={"after": deps}), s.when, s.department, "")
        )
    head = [s for s in own_steps if s.step.id == accept]
    tail = [s for s in own_steps if s.step.id != accept]
    return tuple(head + [s for mid, _ in members for s in joined[mid]] + tail), ends


def _after(s: StepSpec, extra: Sequence[str]) -> StepSpec:
    deps = tuple(dict.fromkeys((*s.step.after, *extra)))
    return StepSpec(s.step.model_copy(update={"after": deps}), s.when, s.department, s.matter)


def graph(steps: Sequence[StepSpec]) -> dict[str, tuple[str, ...]]:
    """plan id → plan ids it waits for (only those present in ``steps``)."""
    ids = {plan_id(s) for s in steps}
    return {plan_id(s): tuple(a for a in s.step.after if a in ids) for s in steps}


def _finishes(steps: Sequence[StepSpec]) -> dict[str, tuple[int, tuple[str, ...]]]:
    """plan id → (working days to the end of that step on its longest way in, that way)."""
    edges = graph(steps)
    days = {plan_id(s): s.step.time_limit if s.step.counts_toward_limit else 0 for s in steps}
    best: dict[str, tuple[int, tuple[str, ...]]] = {}

    def reach(n: str) -> tuple[int, tuple[str, ...]]:
        if n not in best:
            before = max((reach(a) for a in edges[n]), default=(0, ()), key=_weight)
            best[n] = (before[0] + days[n], (*before[1], n))
        return best[n]

    for n in edges:
        reach(n)
    return best


def longest_path(steps: Sequence[StepSpec]) -> tuple[int, tuple[str, ...]]:
    """Working days of the longest path (counted limits only) and that path, first to last.

    The graph must be acyclic (check with ``yijian.load.checks.find_cycle`` first).
    """
    return max(_finishes(steps).values(), default=(0, ()), key=_weight)


def member_offsets(steps: Sequence[StepSpec]) -> dict[str, int]:
    """Each member's planned latest finish, in working days after the joint acceptance.

    Pass an application's own steps (``Outcome.steps``: included members, conditions held)
    and a member is due when the longest way through the plan to its last step ends, so a
    member is never due before a member it waits for, and no member after the application's
    promise (``longest_path``). Counted limits only, like the promise (制证, 邮寄 do not count).
    Members with no step in ``steps`` are absent; the bundle's own steps belong to no member.
    """
    out: dict[str, int] = {}
    finishes = _finishes(steps)
    for s in steps:
        if s.matter:
            out[s.matter] = max(out.get(s.matter, 0), finishes[plan_id(s)][0])
    return out


def _weight(t: tuple[int, tuple[str, ...]]) -> tuple[int, int]:
    """Longest in days, then in steps: the path shown names every step on the way."""
    return t[0], len(t[1])
