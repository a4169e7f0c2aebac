"""Routing run as tasks: the plan of a case, its fold, and settling what follows an event.

``application_of`` turns the case's pinned definition into the fold's plan (``casework.tasks``):
the steps that applied at submission (the summary lists them), with departments as org ids and,
for a bundle, what each included member requires. ``settle`` runs inside the write transaction
of every event that can change tasks (受理 at the window, every department action): it folds
all the case's chains, writes what the fold says must follow (a dropped member's termination,
a member's or the bundle's conclusion) with their notifications, and rewrites the case's rows
of the department queue table. So a committed event and the queue never disagree.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from datetime import date
from typing import Any

from yijian.apply.cases import department_of, pinned_matter
from yijian.apply.services import Services
from yijian.calendar.clock import china_today
from yijian.casework import kinds
from yijian.casework.commitment import check_due
from yijian.casework.rating import rating_of
from yijian.casework.tasks import Application, Fold, PlanStep, fold
from yijian.compiled.matter import CompiledMatter, StepSpec
from yijian.compose.plan import plan_id
from yijian.office.handoff import handoff_writer
from yijian.office.licences import licence_writer
from yijian.store import Case, Event
from yijian.store import events as event_log
from yijian.store.tasks import TaskRow, replace

__all__ = ["Plan", "application_of", "chains_in", "fold_case", "settle", "step_data"]

log = logging.getLogger("yijian.office")

#: Called with (conn, event) for each event ``settle`` writes (notifications, hand-offs).
Writer = Callable[[Any, Event], None]


class Plan:
    """A case with its pinned definition and the fold's view of it."""

    def __init__(self, services: Services, case: Case, matter: CompiledMatter | None):
        self.services, self.case, self.matter = services, case, matter
        self.app = application_of(services, case, matter)
        self.owners = {c.matter_id: c.case_no for c in case.children}
        self.owners[""] = case.case_no
        self._specs = {plan_id(s): s for s in (matter.steps if matter else ())}

    def owner_case(self, owner: str) -> str:
        return self.owners[owner]

    def writer(self, notify: Writer) -> Writer:
        """The event's notifications, then its hand-off to the supervising department when it
        is a decision (审管联动, ``office.handoff``) of the chain it is on. Built before the
        transaction: it looks up definitions."""
        own = None if self.app.bundle else self.matter
        chains = [(self.case, own)]
        members = {m.id: m for m in (self.matter.members if self.matter else ())}
        chains += [(child, members.get(child.matter_id)) for child in self.case.children]
        hands: dict[str, list[Writer]] = {
            case.case_no: [
                licence_writer(self.services, case, matter),  # 电子证照 with the approval
                handoff_writer(self.services, case, matter),  # 审管联动
            ]
            for case, matter in chains
        }

        def write(conn: Any, event: Event) -> None:
            notify(conn, event)
            for hand in hands.get(event.case_no, ()):
                hand(conn, event)

        return write

    def applies(self, step: PlanStep, facts: Mapping[str, Any]) -> bool:
        """Whether a step applies: it did at submission (the summary lists it) and, when its
        condition reads staff-entered facts, it holds on them now."""
        spec = self._specs.get(step.pid)
        rule = spec.when if spec is not None else None
        if rule is None or not any(r.startswith("facts.") for r in rule.reads):
            return True
        data = {**self.case.answers, "facts": dict(facts)}
        data["context"] = self.services.context().as_data()
        try:
            return bool(rule.truthy(data))
        except Exception:  # a fact of the wrong shape: the step waits for a person, logged
            log.warning("step condition failed on case %s step %s", self.case.case_no, step.pid)
            return True

    def fold(self, chains: Mapping[str, list[Event]], today: date | None = None) -> Fold:
        snapshot = self.services.registry.current if self.services.registry else None
        calendar = snapshot.calendar if snapshot else None
        day = today or china_today(self.services.clock)
        return fold(self.app, chains, self.applies, calendar, day)


def _department_ids(services: Services, names: tuple[str, ...]) -> tuple[str, ...]:
    snapshot = services.registry.current if services.registry else None
    org = snapshot.org if snapshot is not None else None
    out = []
    for name in names:
        found = org.department(name) if org is not None else None
        out.append(found.id if found is not None else name)
    return tuple(dict.fromkeys(out))


def application_of(services: Services, case: Case, matter: CompiledMatter | None) -> Application:
    """The fold's plan for ``case``: included members only, the steps the summary kept."""
    if matter is None:
        return Application(())
    bundle = matter.kind == "bundle"
    included = {c.matter_id for c in case.children}
    listed = case.summary.get("steps")
    kept = None
    if isinstance(listed, list):
        kept = {
            (str(x.get("matter") or ""), str(x.get("id"))) for x in listed if isinstance(x, dict)
        }
    steps = []
    for s in matter.steps:
        owner = s.matter if bundle else ""
        if bundle and owner and owner not in included:
            continue
        reads_facts = s.when is not None and any(r.startswith("facts.") for r in s.when.reads)
        if kept is not None and (s.matter, s.step.id) not in kept and not reads_facts:
            continue  # its condition on the answers did not hold at submission
        steps.append(_plan_step(services, s, owner))
    members = matter.extra.get("members", {}) if bundle else {}
    requires = {
        mid: tuple(a for a in info.get("after", ()) if a in included)
        for mid, info in members.items()
        if mid in included
    }
    names = {mid: str(info.get("name") or mid) for mid, info in members.items()}
    partial = bool(matter.extra.get("partial", True)) if bundle else True
    gates = {
        mid: _gate(info["gate"], str(info.get("gate_message") or ""))
        for mid, info in members.items()
        if mid in included and info.get("gate") is not None
    }
    return Application(tuple(steps), requires, names, partial, bundle, gates)


def _gate(rule: Any, message: str) -> Callable[[Mapping[str, Any]], str | None]:
    """A member's ``requires_facts`` as the fold asks it: the message when it does not hold."""

    def ask(facts: Mapping[str, Any]) -> str | None:
        try:
            return None if rule.truthy({"facts": dict(facts)}) else message
        except Exception:  # a fact of an unexpected shape: a person decides, nothing drops
            log.warning("requires_facts failed to evaluate")
            return None

    return ask


def _plan_step(services: Services, s: StepSpec, owner: str) -> PlanStep:
    joint = tuple(s.step.departments)
    return PlanStep(
        pid=plan_id(s),
        owner=owner,
        step=s.step.id,
        name=s.step.name,
        kind=s.step.kind.value,
        departments=_department_ids(services, joint or (s.department,)),
        time_limit=s.step.time_limit,
        after=tuple(s.step.after),
        role=s.step.role,
        fields=tuple(s.step.fields),
    )


def plan_of(services: Services, case: Case) -> Plan:
    return Plan(services, case, pinned_matter(services, case.matter_id, case.version))


def chains_in(conn: Any, plan: Plan) -> dict[str, list[Event]]:
    """Every chain of the case, read inside the caller's transaction."""
    return {o: event_log.list_events(conn, no) for o, no in plan.owners.items()}


def fold_case(services: Services, case: Case) -> tuple[Plan, Fold]:
    """The case's tasks now (outside any transaction: for pages)."""
    plan = plan_of(services, case)
    chains = {o: services.store.cases.events(no) for o, no in plan.owners.items()}
    return plan, plan.fold(chains)


def settle(conn: Any, now: str, plan: Plan, writer: Writer | None = None) -> Fold:
    """Write what must follow, then the case's queue rows; inside the caller's transaction."""
    for rounds in range(5):  # a termination can close the bundle: at most a few rounds
        chains = chains_in(conn, plan)
        f = plan.fold(chains)
        if not f.follow or rounds == 4:
            break
        for item in f.follow:
            event = event_log.append(
                conn, plan.owner_case(item.owner), item.kind, now,
                status=kinds.STATUS.get(item.kind), actor="system", data=item.data,
            )  # fmt: skip
            if writer is not None:
                writer(conn, event)
    extra = rating_rows(plan, chains[""]) + check_rows(plan, chains)  # the chains just folded
    replace(conn, plan.case.case_no, rows_of(plan, f) + extra)
    return f


def rectify_due(services: Services, rated_on: date | None) -> date | None:
    """The last day a department has for a 差评 (the county's ``ratings.rectify_days``)."""
    snapshot = services.registry.current if services.registry else None
    if rated_on is None or snapshot is None or snapshot.calendar is None:
        return None
    days = snapshot.org.ratings.rectify_days if snapshot.org.ratings else 5
    try:
        return snapshot.calendar.add_workdays(rated_on, days)
    except LookupError:
        return None


def rating_rows(plan: Plan, top: list[Event]) -> list[TaskRow]:
    """An open 差评 as the responsible department's task (回访, then 整改)."""
    state = rating_of(top)
    case = plan.case
    dept = _department_ids(plan.services, (department_of(case, plan.matter) or "",))
    if not state.open or not dept or not dept[0] or state.rated_on is None:
        return []
    due = rectify_due(plan.services, state.rated_on)
    step, name = (
        ("rating.rectify", "差评整改") if state.revisited else ("rating.revisit", "差评回访")
    )
    return [TaskRow(case.case_no, case.case_no, step, dept[0], case.region, case.matter_id, name,
                    "rectify", "open", None, state.rated_on.isoformat(),
                    due.isoformat() if due else "")]  # fmt: skip


def check_rows(plan: Plan, chains: Mapping[str, list[Event]]) -> list[TaskRow]:
    """告知承诺 核查 (``casework.commitment``): from the approving decision, due by the
    commitment's ``check_after`` working days (“许可后 20 个工作日内核查”), in its department."""
    snapshot = plan.services.registry.current if plan.services.registry else None
    calendar = snapshot.calendar if snapshot else None
    cases = {"": plan.case, **{c.matter_id: c for c in plan.case.children}}
    rows = []
    for owner, events in chains.items():
        case = cases.get(owner)
        if case is None or (owner == "" and plan.app.bundle):
            continue
        try:
            due = check_due(events, case.summary, calendar)
        except LookupError:
            due = None
        if due is None:
            continue
        dept = _department_ids(plan.services, (due.department,))[0]
        rows.append(TaskRow(plan.case.case_no, case.case_no, "commitment.check", dept,
                            plan.case.region, case.matter_id, "告知承诺核查", "check", "open",
                            None, due.decided_on.isoformat(), due.opens.isoformat()))  # fmt: skip
    return rows


def rows_of(plan: Plan, f: Fold) -> list[TaskRow]:
    case = plan.case
    rows = []
    for t in f.open:
        for dept in t.pending or t.step.departments:
            rows.append(
                TaskRow(
                    case.case_no, plan.owner_case(t.step.owner), t.step.step, dept, case.region,
                    t.step.owner or case.matter_id, t.step.name, t.step.kind, t.state,
                    t.claimed_by, (t.opened_on or date.min).isoformat(),
                    t.due.isoformat() if t.due else "",
                )
            )  # fmt: skip
    return rows


def step_data(f: Fold, owner: str, step: str) -> dict[str, Any]:
    """The opinions and facts recorded on a step so far (for the task page)."""
    return {"task": f.task(owner, step), "facts": f.facts}


def settle_deemed(services: Services) -> list[str]:
    """Cases the window left unanswered past §32's five working days are accepted by law
    (视为受理): their tasks open without an event, so the worker settles their queue rows
    once a day (``tools.officechores``). Returns the cases that got tasks."""
    done = []
    for case_no in services.store.cases.with_open_kind("submitted", "submitted"):
        case = services.store.cases.get(case_no)
        if case is None or services.store.tasks.of_case(case_no):
            continue
        plan = plan_of(services, case)
        if plan.fold(chains_in_store(services, plan)).accepted_on is None:
            continue
        services.store.cases.transact(lambda conn, now, p=plan: settle(conn, now, p))
        if services.store.tasks.of_case(case_no):
            done.append(case_no)
    return done


def chains_in_store(services: Services, plan: Plan) -> dict[str, list[Event]]:
    return {o: services.store.cases.events(no) for o, no in plan.owners.items()}
