"""Every example's promise agrees with its plan (issue 15 item 13): over ALL the matters and
bundles under matters/, what the guide and the case summary promise is consistent with the
steps it lists (compose.plan), and in every bundle no member falls due before a member it
waits for. Over the examples' own applications (cases.yaml) too: each application's promise
is its own plan's longest path and each member's due day its place in that plan.

Single matters: the promised limit (承诺办结时限) is at least the longest path of the steps it
counts (制证, 邮寄 do not count), and a step that counts is never longer than the promise
(`yijian check` says so too: E-MATTER-PROMISE).
Bundles: the promise shown is the plan's longest path; each member is due no later than it
and never before a member it waits for.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from yijian.compiled.matter import CompiledMatter, StepSpec
from yijian.compose.plan import graph, longest_path, member_offsets, plan_id
from yijian.registry import Registry
from yijian.registry.snapshot import Snapshot
from yijian.runtime.answers import nest
from yijian.runtime.deadline import application_limit, promised_limit
from yijian.runtime.evaluate import Context, evaluate
from yijian.tools.casetest import _cases_of

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def snap() -> Snapshot:
    reg = Registry(REPO)
    reg.load()
    assert reg.current is not None, reg.last_errors
    return reg.current


def _ids(snap: Snapshot, kind: str) -> list[str]:
    return sorted(mid for mid, m in snap.matters.items() if m.kind == kind)


def waits(steps: list[StepSpec] | tuple[StepSpec, ...]) -> set[tuple[str, str]]:
    """(member, member it waits for): a step of the one comes after a step of the other."""
    owner = {plan_id(s): s.matter for s in steps}
    out = set()
    for s in steps:
        for a in graph(steps)[plan_id(s)]:
            if s.matter and owner.get(a) and owner[a] != s.matter:
                out.add((s.matter, owner[a]))
    return out


def plan_problems(steps: list[StepSpec] | tuple[StepSpec, ...], promised: int) -> list[str]:
    days, path = longest_path(steps)
    problems = []
    if promised < days:
        problems.append(f"promises {promised} working days, its steps take {days}: {path}")
    due = member_offsets(steps)
    for member, before in sorted(waits(steps)):
        if due[member] < due[before]:
            problems.append(f"{member} due day {due[member]} before {before} ({due[before]})")
    for member, day in sorted(due.items()):
        if day > promised:
            problems.append(f"{member} due day {day} after the promise of {promised}")
    return problems


def test_the_examples_hold_matters_and_bundles(snap: Snapshot) -> None:
    assert len(_ids(snap, "matter")) >= 20 and len(_ids(snap, "bundle")) >= 3


def test_every_matter_promises_at_least_what_its_steps_take(snap: Snapshot) -> None:
    problems = {}
    for mid in _ids(snap, "matter"):
        m = snap.matters[mid]
        limit = promised_limit(m)
        assert limit is not None, mid
        found = plan_problems(m.steps, limit.days)
        counted = [s for s in m.steps if s.step.counts_toward_limit]
        found += [
            f"step {s.step.id} takes {s.step.time_limit} > the promise of {limit.days}"
            for s in counted
            if s.step.time_limit > limit.days
        ]
        if found:
            problems[mid] = found
    assert not problems, problems


def test_every_bundle_promises_its_plan_and_members_fall_due_in_order(snap: Snapshot) -> None:
    problems = {}
    for mid in _ids(snap, "bundle"):
        m = snap.matters[mid]
        limit = promised_limit(m)
        days, _ = longest_path(m.steps)
        found = plan_problems(m.steps, limit.days if limit else -1)
        if limit is None or limit.days != days:
            found.append(f"the guide promises {limit and limit.days}, the plan takes {days}")
        if found:
            problems[mid] = found
    assert not problems, problems


def _applications(m: CompiledMatter) -> list[tuple[str, Any]]:
    """The examples' eligible applications of ``m`` (cases.yaml), evaluated as `yijian test`
    does."""
    cases = _cases_of(m, REPO, m.id) or ()
    out = []
    for case in cases:
        if case.expect.eligible is False:
            continue
        ctx = Context(case.context.today, case.context.region, case.context.channel or "online")
        out.append((case.name, evaluate(m, nest(case.answers), ctx, validate=True)))
    return out


def test_every_bundle_application_in_the_examples_is_promised_its_own_plan(
    snap: Snapshot,
) -> None:
    problems = {}
    seen = 0
    for mid in _ids(snap, "bundle"):
        m = snap.matters[mid]
        for name, out in _applications(m):
            seen += 1
            limit = application_limit(m, out)
            days, _ = longest_path(out.steps)
            found = plan_problems(out.steps, limit.days if limit else -1)
            if limit is None or limit.days != days:
                found.append(f"promised {limit and limit.days}, its plan takes {days}")
            if found:
                problems[f"{mid}: {name}"] = found
    assert seen >= 5 and not problems, problems
