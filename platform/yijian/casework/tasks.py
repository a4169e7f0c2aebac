"""Tasks from routing (后台分类审批): a pure fold of an application's events over its plan.

Nothing here is stored: the tasks of a case, their states and deadlines, which members are open
and what must follow a decision are all computed from the pinned plan and the events of the
case's chains (the top-level case and one sub-case per bundle member). Replaying the same
events gives the same tasks (``tests/casework/test_tasks_properties.py``); the department queue
table is a projection of this fold (``office.tasks``).

The rules, in the order the fold applies them:

* Nothing opens before the window accepts (受理, 容缺受理, or deemed accepted under §32).
  ``accept`` steps are the window's and are done on that day.
* A step applies when its ``when`` holds on the answers and the facts staff entered so far
  (``applies``); a step that does not apply is skipped and does not hold anyone up.
* A step opens when every step it comes ``after`` is done or skipped, on the day the last of
  them was done; its deadline is that day plus its ``time_limit`` working days, plus the
  working days its chain was suspended since.
* A step is done when every department named on it has passed it (``step_passed``; a joint
  step names several), or when a decision concludes its member. ``sent_back`` opens the step
  it names again, with every step after it.
* ``deliver`` steps are the window's (综合出件): they open like the rest but are nobody's
  task; ``delivered`` on the top-level case ends them.
* A bundle member is dropped when a member it requires was not approved (and, in a bundle
  that does not allow 部分办结, when any member was refused); the fold lists what must be
  written then (``Fold.follow``): ``terminated`` for a dropped member, ``concluded`` approved
  for a member whose every step is done without a decision step, and the bundle's own
  ``concluded`` (approved / partial / denied) once every member is closed.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from yijian.casework import kinds
from yijian.casework.facts import day_of
from yijian.casework.facts import read as read_facts
from yijian.casework.taskclock import due_of

__all__ = ["Application", "Fold", "Follow", "MemberState", "PlanStep", "TaskState", "fold"]

WINDOW_KINDS = frozenset({"accept", "deliver"})
#: Task states that are someone's work now (a row in the department queue).
OPEN_STATES = frozenset({"open", "claimed", "suspended"})


@dataclass(frozen=True, slots=True)
class PlanStep:
    """One step of the application's plan, as the fold needs it."""

    pid: str  # plan id: "matter.step" for a bundle member, the bare id otherwise
    owner: str  # member matter id; "" for the top-level case's own steps
    step: str  # step id inside its matter
    name: str
    kind: str
    departments: tuple[str, ...]  # org department ids; more than one: a joint step
    time_limit: int
    after: tuple[str, ...] = ()  # plan ids
    role: str | None = None
    fields: tuple[Any, ...] = ()  # the StaffField definitions reviewers fill at this step


@dataclass(frozen=True, slots=True)
class Application:
    """The plan of one application: its steps, and for a bundle what each member requires."""

    steps: tuple[PlanStep, ...]
    requires: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    names: Mapping[str, str] = field(default_factory=dict)  # member → its name
    partial: bool = True
    bundle: bool = False
    #: member → why it drops out given the facts staff entered (None: it goes ahead); asked
    #: once every member it waits for is approved (bundle.yaml ``requires_facts``)
    gates: Mapping[str, Callable[[Mapping[str, Any]], str | None]] = field(default_factory=dict)


@dataclass(slots=True)
class TaskState:
    step: PlanStep
    state: str  # waiting | open | claimed | suspended | done | skipped | window | closed
    opened_on: date | None = None
    due: date | None = None
    done_on: date | None = None
    claimed_by: str | None = None
    signed: tuple[str, ...] = ()  # departments that passed a joint step

    @property
    def pending(self) -> tuple[str, ...]:
        """Departments that still have to act on an open task."""
        return tuple(d for d in self.step.departments if d not in self.signed)


@dataclass(slots=True)
class MemberState:
    owner: str
    status: str  # waiting | open | approved | denied | terminated | revoked | dropped
    reason: str = ""
    complete: bool = False  # every step done and no decision yet


@dataclass(frozen=True, slots=True)
class Follow:
    """An event the fold says must be written now (in the same transaction as the cause)."""

    owner: str  # member matter id, "" for the top-level case
    kind: str
    data: dict[str, Any]


@dataclass
class Fold:
    accepted_on: date | None
    tasks: list[TaskState]
    members: dict[str, MemberState]
    facts: dict[str, Any]
    follow: list[Follow]
    delivered: bool = False

    def task(self, owner: str, step: str) -> TaskState | None:
        return next((t for t in self.tasks if t.step.owner == owner and t.step.step == step), None)

    @property
    def open(self) -> list[TaskState]:
        return [t for t in self.tasks if t.state in OPEN_STATES]


@dataclass(slots=True)
class _Chain:
    """What one chain's events say about its steps."""

    passes: dict[str, dict[str, date]] = field(default_factory=dict)  # step → dept → day
    reopened: dict[str, date] = field(default_factory=dict)
    claimed: dict[str, str | None] = field(default_factory=dict)
    stops: list[tuple[date, date | None]] = field(default_factory=list)
    decision: str | None = None  # approved | denied | terminated | revoked
    decided_on: date | None = None
    decision_step: str | None = None


def _after_closure(steps: Sequence[PlanStep], owner: str, start: str) -> set[str]:
    """``start`` and every step of ``owner`` that (transitively) comes after it."""
    mine = {s.step: s for s in steps if s.owner == owner}
    by_pid = {s.pid: s.step for s in mine.values()}
    out, grew = {start}, True
    while grew:
        grew = False
        for s in mine.values():
            if s.step not in out and any(by_pid.get(a) in out for a in s.after):
                out.add(s.step)
                grew = True
    return out


def _read_chain(events: Sequence[Any], steps: Sequence[PlanStep], owner: str) -> _Chain:
    c = _Chain()
    for e in events:
        data, day = e.data or {}, day_of(e)
        step = str(data.get("step", ""))
        if e.kind == kinds.STEP_PASSED:
            dept = str(data.get("department", ""))
            c.passes.setdefault(step, {})[dept] = day
        elif e.kind == kinds.SENT_BACK:
            for s in _after_closure(steps, owner, str(data.get("to", ""))):
                c.passes.pop(s, None)
                c.reopened[s] = day
        elif e.kind == kinds.TASK_CLAIMED:
            c.claimed[step] = e.actor
        elif e.kind == kinds.TASK_ASSIGNED:
            c.claimed[step] = str(data.get("to") or "") or None
        elif e.kind == kinds.TASK_RELEASED:
            c.claimed[step] = None
        elif e.kind in (kinds.SUSPENDED, kinds.CORRECTION_REQUESTED):
            if not c.stops or c.stops[-1][1] is not None:
                c.stops.append((day, None))
        elif e.kind in (kinds.RESUMED, kinds.CORRECTED):
            if c.stops and c.stops[-1][1] is None:
                c.stops[-1] = (c.stops[-1][0], day)
        elif e.kind == kinds.CONCLUDED and owner:  # a member's decision
            c.decision, c.decided_on = str(data.get("decision", "approved")), day
            c.decision_step = step or None
        elif e.kind == kinds.TERMINATED:
            c.decision, c.decided_on = "terminated", day
        elif e.kind == kinds.REVOKED:
            c.decision, c.decided_on = "revoked", day
    return c


def _facts(chains: Mapping[str, Sequence[Any]]) -> dict[str, Any]:
    """Every fact staff entered, the latest value of each key winning."""
    events = sorted(
        (e for evs in chains.values() for e in evs if (e.data or {}).get("facts")),
        key=lambda e: (e.at, e.case_no, e.seq),
    )
    out: dict[str, Any] = {}
    for e in events:
        out.update(e.data["facts"])
    return out


def _order(steps: Sequence[PlanStep]) -> list[PlanStep]:
    """Steps so that each comes after everything it waits for (the plan is acyclic)."""
    by_pid = {s.pid: s for s in steps}
    seen: set[str] = set()
    out: list[PlanStep] = []

    def visit(s: PlanStep) -> None:
        if s.pid in seen:
            return
        seen.add(s.pid)
        for a in s.after:
            if a in by_pid:
                visit(by_pid[a])
        out.append(s)

    for s in steps:
        visit(s)
    return out


def fold(
    app: Application,
    chains: Mapping[str, Sequence[Any]],
    applies: Callable[[PlanStep, Mapping[str, Any]], bool],
    calendar: Any,
    today: date,
) -> Fold:
    """The tasks of an application. ``chains`` maps "" to the top-level case's events and
    each included member to its sub-case's events (oldest first)."""
    top = list(chains.get("", ()))
    facts = _facts(chains)
    accepted = read_facts(top, calendar, today).accepted if top else None
    delivered = any(e.kind == kinds.DELIVERED for e in top)
    read = {o: _read_chain(evs, app.steps, o) for o, evs in chains.items()}
    # the top-level case's conclusion: a single matter's decision, or the bundle's joint one
    read[""] = _read_top_decision(top, read.get("", _Chain()))
    members = _members(app, read, facts)
    result = Fold(accepted, [], members, facts, [], delivered)
    if accepted is None:
        result.tasks = [TaskState(s, "waiting") for s in app.steps]
        return result
    states: dict[str, TaskState] = {}
    for s in _order(app.steps):
        states[s.pid] = t = TaskState(s, "waiting")
        chain = read.get(s.owner, _Chain())
        preds = [states[a] for a in s.after if a in states]
        # a step of a member that ended (dropped, refused) holds nobody up any more
        ready = all(p.state in ("done", "skipped", "closed") for p in preds)
        since = max([accepted, *(p.done_on for p in preds if p.done_on)], default=accepted)
        since = max(since, chain.reopened.get(s.step, since))
        member = members.get(s.owner)
        if read[""].decision in ("terminated", "revoked", "refused") and s.kind != "accept":
            t.state = "closed"  # the whole application ended (e.g. 容缺 not supplied in time)
            continue
        if s.kind == "accept":
            t.state, t.opened_on, t.done_on = "done", accepted, accepted
            continue
        if member is not None and member.status in ("dropped", "terminated", "revoked"):
            t.state = "closed"
            continue
        passed = chain.passes.get(s.step, {})
        if not ready:
            continue
        if not applies(s, facts):
            t.state, t.opened_on, t.done_on = "skipped", since, since
            continue
        t.opened_on = since
        if s.kind == "deliver":
            t.state = "done" if delivered else "window"
            t.done_on = since
            continue
        t.signed = tuple(d for d in s.departments if d in passed)
        if (s.departments and not t.pending) or (not s.departments and passed):
            t.state, t.done_on = "done", max(passed.values())
            continue
        if chain.decision:  # decided before this step was done (a refusal, a termination)
            t.state = "closed"
            continue
        t.due = due_of(since, s.time_limit, chain.stops, calendar)
        t.claimed_by = chain.claimed.get(s.step)
        stopped = chain.stops and chain.stops[-1][1] is None
        top_stopped = s.owner and read.get("", _Chain()).stops
        if stopped or (top_stopped and top_stopped[-1][1] is None):
            t.state = "suspended"
        else:
            t.state = "claimed" if t.claimed_by else "open"
    result.tasks = [states[s.pid] for s in app.steps]
    _complete(app, result, read[""].decision is not None)
    return result


def _read_top_decision(top: Sequence[Any], chain: _Chain) -> _Chain:
    for e in top:
        if e.kind == kinds.CONCLUDED:
            chain.decision, chain.decided_on = str((e.data or {}).get("decision")), day_of(e)
            chain.decision_step = str((e.data or {}).get("step") or "") or None
        elif e.kind in (kinds.TERMINATED, kinds.REVOKED, kinds.REFUSED):
            chain.decision, chain.decided_on = e.kind, day_of(e)
    return chain


def _members(
    app: Application, read: Mapping[str, _Chain], facts: Mapping[str, Any]
) -> dict[str, MemberState]:
    """Each member's state; a member whose requirement failed is dropped, with the reason."""
    out: dict[str, MemberState] = {}
    owners = [o for o in read if o] if app.bundle else []
    refused = [o for o in owners if read[o].decision in ("denied", "terminated", "revoked")]
    for owner in _member_order(owners, app.requires):
        c = read[owner]
        if c.decision:
            out[owner] = MemberState(owner, c.decision)
            continue
        failed = [
            r for r in app.requires.get(owner, ()) if r in out and out[r].status != "approved"
        ]
        failed = [r for r in failed if out[r].status not in ("waiting", "open")]
        if failed:
            names = "、".join(f"“{app.names.get(r, r)}”" for r in failed)
            out[owner] = MemberState(owner, "dropped", f"因{names}未获准予，本事项不再办理")
        elif owner in app.gates and _gated(app, owner, out, facts):
            out[owner] = MemberState(owner, "dropped", _gated(app, owner, out, facts) or "")
        elif refused and not app.partial:
            names = "、".join(f"“{app.names.get(r, r)}”" for r in refused)
            reason = f"本一件事不办理部分事项，{names}未获准予，本事项终止办理"
            out[owner] = MemberState(owner, "dropped", reason)
        else:
            out[owner] = MemberState(owner, "open")
    return out


def _gated(
    app: Application, owner: str, out: Mapping[str, MemberState], facts: Mapping[str, Any]
) -> str | None:
    """The gate's reason once every member ``owner`` waits for is approved, else None."""
    needed = app.requires.get(owner, ())
    if not all(r in out and out[r].status == "approved" for r in needed):
        return None
    return app.gates[owner](facts)


def _member_order(owners: Sequence[str], requires: Mapping[str, Sequence[str]]) -> list[str]:
    seen: list[str] = []

    def visit(o: str, path: tuple[str, ...] = ()) -> None:
        if o in seen or o in path or o not in owners:
            return
        for r in requires.get(o, ()):
            visit(r, (*path, o))
        seen.append(o)

    for o in owners:
        visit(o)
    return seen


def _complete(app: Application, f: Fold, decided: bool) -> None:
    """What must be written now: drops, members done without a decision step, the bundle's
    own conclusion."""
    if not app.bundle:
        if not decided:
            _finish("", [t for t in f.tasks if t.step.kind != "deliver"], f)
        return
    for owner, state in f.members.items():
        if state.status == "dropped":
            f.follow.append(Follow(owner, kinds.TERMINATED, {"reason": state.reason}))
        elif state.status == "open":
            mine = [t for t in f.tasks if t.step.owner == owner and t.step.kind != "deliver"]
            state.complete = _finish(owner, mine, f)
    if f.members and not decided:
        after = {o: s.status for o, s in f.members.items()}
        for x in f.follow:
            after[x.owner] = "approved" if x.kind == kinds.CONCLUDED else "terminated"
        if all(s not in ("open", "waiting") for s in after.values()):
            won = sum(1 for s in after.values() if s == "approved")
            decision = "approved" if won == len(after) else "partial" if won else "denied"
            f.follow.append(Follow("", kinds.CONCLUDED, {"decision": decision}))


def _finish(owner: str, mine: Sequence[TaskState], f: Fold) -> bool:
    """``concluded`` approved for an owner whose every step is done: 准予 is the decision step
    passed with that decision, and 办结 comes once 制证 and the rest are done too."""
    if not mine or not all(t.state in ("done", "skipped") for t in mine):
        return False
    last = max((t for t in mine if t.state == "done"), key=_done_key, default=None)
    f.follow.append(
        Follow(
            owner, kinds.CONCLUDED, {"decision": "approved", "step": last.step.step if last else ""}
        )
    )
    return True


def _done_key(t: TaskState) -> tuple[date, str]:
    return (t.done_on or date.min, t.step.pid)
