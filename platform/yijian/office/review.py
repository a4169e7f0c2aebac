"""Department review (后台分类审批): the actions on one task, each one event.

Every action folds the case's chains inside its write transaction (``office.tasks``), checks the
task there, appends its event on the chain that owns the step, and settles what follows (a
member concluded, dependants dropped, the bundle closed, queue rows rewritten) before COMMIT.
So two reviewers at once act once, and an action on a task in the wrong state changes nothing
and says why (:class:`ReviewError`, in Chinese).

Who may act: a reviewer of a department the task still waits for, in the case's region; an
approver (负责人) of the region. Deciding needs an approver when the step's post is an approver's
(``rules/org.yaml``), and refusing (不予许可) always does, with a reason and a legal basis.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from yijian.apply.errors import NotFound
from yijian.apply.services import Services
from yijian.casework import kinds
from yijian.casework.stafffacts import check_facts
from yijian.casework.tasks import Fold, TaskState
from yijian.office.scope import can_act, can_see
from yijian.office.tasks import Plan, chains_in, plan_of, settle
from yijian.office.window import actor_of, writer_for
from yijian.store import Event
from yijian.store import events as event_log
from yijian.store.staff import StaffMember

__all__ = ["FactErrors", "ReviewError", "TaskRef", "act_on_task", "department_for", "task_roles"]


class ReviewError(ValueError):
    """An action the task cannot take now; the message says why, for the reviewer."""


class FactErrors(ReviewError):
    """Facts that did not check: per key, the message (the page shows them inline)."""

    def __init__(self, errors: dict[str, str]):
        super().__init__("请更正标出的核查事实")
        self.errors = errors


class TaskRef:
    """A task named in a URL: the case, the owner (member matter or ""), the step."""

    def __init__(self, case_no: str, owner: str, step: str):
        self.case_no, self.owner, self.step = case_no[:64], owner[:64], step[:64]


def open_plan(services: Services, member: StaffMember | None, ref: TaskRef) -> tuple[Plan, Any]:
    """The case's plan when the member may see this task; NotFound otherwise."""
    case = services.store.cases.get(ref.case_no)
    if case is None or case.parent_case_no is not None:
        raise NotFound()
    plan = plan_of(services, case)
    step = next((s for s in plan.app.steps if s.owner == ref.owner and s.step == ref.step), None)
    if step is None:
        raise NotFound()
    if not any(can_see(member, case.region, d) for d in step.departments):
        raise NotFound()
    return plan, step


def task_roles(services: Services, task_step: Any) -> str:
    """The staff role a step's post names (reviewer when the post is unknown or unnamed)."""
    snapshot = services.registry.current if services.registry else None
    posts = snapshot.org.posts() if snapshot is not None else {}
    return posts.get(task_step.role or "", "reviewer")


def department_for(
    services: Services, member: StaffMember | None, region: str, task: TaskState
) -> str | None:
    """The department in whose name the member acts on the task: the first still pending that
    the member's reviewer grant names; any pending one for an approver, and for a window clerk
    when the step's post is a window's (综合窗口 核验 steps)."""
    for d in task.pending:
        if can_act(member, "reviewer", region, d):
            return d
    if not task.pending:
        return None
    if can_act(member, "approver", region, None):
        return task.pending[0]
    if task_roles(services, task.step) == "clerk" and can_act(member, "clerk", region, None):
        return task.pending[0]
    return None


Check = Callable[[Fold, TaskState, str], str | None]


def act_on_task(
    services: Services,
    member: StaffMember | None,
    ref: TaskRef,
    kind: str,
    data: dict[str, Any],
    check: Check,
    *,
    needs_approver: bool = False,
    on_top: bool = False,
) -> Event:
    """Append ``kind`` for the task if ``check(fold, task, department)`` allows it inside the
    transaction; else raise :class:`ReviewError` with its message. ``on_top``: the event goes
    on the top-level case (a correction request, which the applicant answers there)."""
    plan, _ = open_plan(services, member, ref)
    case = plan.case
    if member is None:
        raise NotFound()
    if needs_approver and not can_act(member, "approver", case.region, None):
        raise ReviewError("此操作须由负责人签发：您没有该地区的负责人权限")
    actor = actor_of(member)
    name = plan.matter.name if plan.matter else str(case.summary.get("matter_name") or "")
    notify = plan.writer(writer_for(case, name))  # notices, then 审管联动 for decisions

    def work(conn: Any, now: str) -> Event | str:
        f = plan.fold(chains_in(conn, plan))
        task = f.task(ref.owner, ref.step)
        if task is None:
            return "该环节不在本办件的办理流程中"
        refusal = check(f, task, actor)
        if refusal is not None:
            return refusal
        dept = department_for(services, member, case.region, task)
        if dept is None:
            return "您所在的部门不负责该环节，或本部门已办完"
        payload = {"step": ref.step, **data}
        if kind == kinds.STEP_PASSED:
            payload["department"] = dept
        owner = case.case_no if on_top else plan.owner_case(ref.owner)
        event = event_log.append(
            conn, owner, kind, now, status=_status(kind, on_top), actor=actor, data=payload
        )
        notify(conn, event)
        settle(conn, now, plan, notify)
        return event

    done = services.store.cases.transact(work)
    if isinstance(done, str):
        raise ReviewError(done)
    return done


def _status(kind: str, on_top: bool) -> str | None:
    if kind == kinds.CORRECTION_REQUESTED:
        return kinds.STATUS[kind]
    return kinds.STATUS.get(kind)


def checked_facts(fields: Any, raw: Mapping[str, str]) -> dict[str, Any]:
    """The step's facts as typed values, or :class:`FactErrors`."""
    values, errors = check_facts(tuple(fields), raw)
    if errors:
        raise FactErrors(errors)
    return values
