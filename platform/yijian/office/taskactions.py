"""The reviewer's and approver's actions on a task, each with the state it needs.

Thin over ``office.review.act_on_task``: each action says its event, its data (validated
here, before any write) and the check run on the fold inside the transaction.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from yijian.apply.services import Services
from yijian.casework import kinds
from yijian.casework.tasks import Fold, TaskState
from yijian.office.review import (
    ReviewError,
    TaskRef,
    act_on_task,
    checked_facts,
    open_plan,
    task_roles,
)
from yijian.office.scope import can_act
from yijian.office.window import actor_of
from yijian.store import Event
from yijian.store.staff import StaffMember

__all__ = [
    "PROCEDURES",
    "assign",
    "claim",
    "deny",
    "pass_step",
    "release",
    "request_correction",
    "resume",
    "send_back",
    "suspend",
]

#: 特别程序 (行政许可法 §45): their time is not counted in the limit.
PROCEDURES = ("听证", "检验检测", "鉴定", "专家评审", "公示", "现场勘验")

_STATE_WORDS = {
    "waiting": "该环节尚未开始：前序环节还没有办完",
    "done": "该环节已经办完",
    "skipped": "该环节不适用于本办件",
    "closed": "该事项已办结或已终止，不能再办理",
    "window": "该环节由综合窗口办理（综合出件）",
    "suspended": "该环节已暂停（特别程序或补正期间），恢复后才能办理",
}


def _who(actor: str | None) -> str:
    return (actor or "").split(":", 2)[-1] or "他人"


def _workable(task: TaskState, actor: str) -> str | None:
    if task.state not in ("open", "claimed"):
        return _STATE_WORDS.get(task.state, f"该环节当前状态为 {task.state}，不能办理")
    if task.claimed_by and task.claimed_by != actor:
        return f"该任务已由 {_who(task.claimed_by)} 认领，请联系负责人改派"
    return None


def claim(services: Services, member: StaffMember | None, ref: TaskRef) -> Event:
    def check(f: Fold, task: TaskState, actor: str) -> str | None:
        if task.state == "claimed" and task.claimed_by == actor:
            return "您已认领该任务"
        return _workable(task, actor)

    return act_on_task(services, member, ref, kinds.TASK_CLAIMED, {}, check)


def release(services: Services, member: StaffMember | None, ref: TaskRef) -> Event:
    def check(f: Fold, task: TaskState, actor: str) -> str | None:
        if task.state != "claimed":
            return "该任务没有被认领"
        if task.claimed_by != actor and not _approver(services, member, ref):
            return f"该任务由 {_who(task.claimed_by)} 认领，只有本人或负责人可以退回"
        return None

    return act_on_task(services, member, ref, kinds.TASK_RELEASED, {}, check)


def assign(
    services: Services, member: StaffMember | None, ref: TaskRef, to: StaffMember | None
) -> Event:
    """A head (approver) gives the task to a reviewer of a department it waits for."""
    plan, step = open_plan(services, member, ref)
    if (
        to is None
        or to.disabled
        or not any(
            can_act(to, "reviewer", plan.case.region, d)
            or can_act(to, "approver", plan.case.region, None)
            for d in step.departments
        )
    ):
        raise ReviewError("只能改派给负责该环节的本部门审查人员")
    target = actor_of(to)

    def check(f: Fold, task: TaskState, actor: str) -> str | None:
        if task.state not in ("open", "claimed"):
            return _STATE_WORDS.get(task.state, "该任务当前不能改派")
        return "该任务已经由此人办理" if task.claimed_by == target else None

    data = {"to": target}
    return act_on_task(services, member, ref, kinds.TASK_ASSIGNED, data, check, needs_approver=True)


def _approver(services: Services, member: StaffMember | None, ref: TaskRef) -> bool:
    case = services.store.cases.get(ref.case_no)
    return case is not None and can_act(member, "approver", case.region, None)


def pass_step(
    services: Services,
    member: StaffMember | None,
    ref: TaskRef,
    opinion: str,
    raw_facts: Mapping[str, str],
    *,
    approve: bool = False,
) -> Event:
    """审查意见 (or 准予 on a decision step): the step is done for the member's department."""
    _plan, step = open_plan(services, member, ref)
    opinion = opinion.strip()
    if not opinion:
        raise ReviewError("请填写审查意见" if not approve else "请填写准予的决定意见")
    if len(opinion) > 2000:
        raise ReviewError(f"意见最多 2000 字，现有 {len(opinion)} 字")
    facts = checked_facts(step.fields, raw_facts)
    decide = step.kind == "decide"
    if approve and not decide:
        raise ReviewError("该环节不是决定环节，请使用“审查通过”")
    needs = decide and task_roles(services, step) == "approver"
    data: dict[str, Any] = {"opinion": opinion[:2000], "facts": facts}
    if decide:
        data["decision"] = "approved"
        data["approver"] = actor_of(member) if member is not None else ""

    def check(f: Fold, task: TaskState, actor: str) -> str | None:
        return _workable(task, actor)

    return act_on_task(services, member, ref, kinds.STEP_PASSED, data, check, needs_approver=needs)


def deny(
    services: Services,
    member: StaffMember | None,
    ref: TaskRef,
    reason: str,
    basis: str,
) -> Event:
    """不予许可: a reason and its legal basis, signed off by an approver; the member (or the
    single matter) is concluded as denied; a bundle's other members go on (部分办结)."""
    reason, basis = reason.strip(), basis.strip()
    if not reason or not basis:
        raise ReviewError("不予许可须写明理由和法律依据")
    data = {
        "decision": "denied",
        "reason": reason[:2000],
        "basis": basis[:500],
        "approver": actor_of(member) if member is not None else "",
    }

    def check(f: Fold, task: TaskState, actor: str) -> str | None:
        return _workable(task, actor)

    return act_on_task(services, member, ref, kinds.CONCLUDED, data, check, needs_approver=True)


def send_back(
    services: Services, member: StaffMember | None, ref: TaskRef, to: str, reason: str
) -> Event:
    """退回 to an earlier, finished step of the same matter: it opens again with what follows."""
    if not reason.strip():
        raise ReviewError("请写明退回原因")

    def check(f: Fold, task: TaskState, actor: str) -> str | None:
        refusal = _workable(task, actor)
        if refusal is not None:
            return refusal
        target = f.task(ref.owner, to)
        earlier = _earlier(f, task)
        if target is None or target.step.pid not in earlier:
            return "只能退回到本事项此前的环节"
        if target.step.kind in ("accept", "deliver"):
            return "受理环节由综合窗口办理；需申请人补正的，请使用“要求补正”"
        if target.state != "done":
            return "该环节还没有办完，不能退回"
        return None

    data = {"to": to[:64], "reason": reason.strip()[:1000]}
    return act_on_task(services, member, ref, kinds.SENT_BACK, data, check)


def _earlier(f: Fold, task: TaskState) -> set[str]:
    by_pid = {t.step.pid: t for t in f.tasks}
    out: set[str] = set()
    todo = list(task.step.after)
    while todo:
        pid = todo.pop()
        if pid in out or pid not in by_pid:
            continue
        if by_pid[pid].step.owner == task.step.owner:
            out.add(pid)
        todo.extend(by_pid[pid].step.after)
    return out


def suspend(
    services: Services,
    member: StaffMember | None,
    ref: TaskRef,
    procedure: str,
    planned_days: int,
    reason: str,
) -> Event:
    """特别程序 (听证/检测/专家评审/公示 …): the clock stops for the planned working days."""
    if procedure not in PROCEDURES:
        raise ReviewError("请选择特别程序的种类")
    if not 1 <= planned_days <= 365:
        raise ReviewError("计划天数须在 1 到 365 个工作日之间")
    if not reason.strip():
        raise ReviewError("请写明启动特别程序的原因")
    data = {"procedure": procedure, "planned_days": planned_days, "reason": reason[:1000]}

    def check(f: Fold, task: TaskState, actor: str) -> str | None:
        return _workable(task, actor)

    return act_on_task(services, member, ref, kinds.SUSPENDED, data, check)


def resume(services: Services, member: StaffMember | None, ref: TaskRef) -> Event:
    def check(f: Fold, task: TaskState, actor: str) -> str | None:
        if task.state != "suspended":
            return "该环节没有暂停"
        return None

    return act_on_task(services, member, ref, kinds.RESUMED, {}, check)


def request_correction(
    services: Services,
    member: StaffMember | None,
    ref: TaskRef,
    items: Sequence[dict[str, str]],
    due: str,
) -> Event:
    """补正 after acceptance: the applicant answers online (on the top-level case, as at the
    window); the clock stops until they do."""
    if not items or any(not i.get("reason", "").strip() for i in items):
        raise ReviewError("请勾选需要补正的内容，并逐项写明原因")

    def check(f: Fold, task: TaskState, actor: str) -> str | None:
        return _workable(task, actor)

    data = {"items": [dict(i) for i in items], "due": due, "after_acceptance": True}
    return act_on_task(services, member, ref, kinds.CORRECTION_REQUESTED, data, check, on_top=True)
