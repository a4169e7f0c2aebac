"""What a reviewer's task page shows, as data: only the answers its matter needs (最小必要), its
materials, every earlier opinion of the case, the facts to enter and the actions open now.

A bundle's sub-case carries the whole bundle's answers; a department must see only those its
own member matter asks (its fields), not the other members'. The bundle's own steps (a joint
acceptance or delivery) see the whole form.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from yijian.apply.services import Services
from yijian.casework import kinds
from yijian.casework.tasks import Fold, TaskState
from yijian.casework.timeline import current_answers
from yijian.compiled.matter import CompiledMatter
from yijian.documents.receipt_inputs import applicant_of
from yijian.office.review import TaskRef, department_for, open_plan, task_roles
from yijian.office.scope import can_act
from yijian.office.taskactions import PROCEDURES
from yijian.office.tasks import Plan
from yijian.runtime.answers import get
from yijian.runtime.messages import value_text
from yijian.store import Event
from yijian.store.staff import StaffMember

__all__ = ["TaskView", "history_of", "view_task"]

_KIND_WORDS = {
    kinds.STEP_PASSED: "意见",
    kinds.SENT_BACK: "退回",
    kinds.SUSPENDED: "特别程序",
    kinds.RESUMED: "恢复办理",
    kinds.CONCLUDED: "办结",
    kinds.TERMINATED: "终止",
    kinds.TASK_CLAIMED: "认领",
    kinds.TASK_RELEASED: "退回待办",
    kinds.TASK_ASSIGNED: "改派",
    kinds.CORRECTION_REQUESTED: "要求补正",
    kinds.CORRECTED: "申请人已补正",
}
_DECISIONS = {"approved": "准予", "denied": "不予许可", "partial": "部分办结"}


@dataclass
class TaskView:
    plan: Plan
    fold: Fold
    task: TaskState
    matter_name: str
    answers: list[dict[str, str]]
    materials: list[dict[str, str]]
    history: list[dict[str, str]]
    actions: set[str]
    earlier: list[tuple[str, str]]  # (step id, name) that a send-back may name
    procedures: tuple[str, ...] = PROCEDURES
    items: list[tuple[str, str]] = field(default_factory=list)  # correction items


def _member_matter(plan: Plan, owner: str) -> CompiledMatter | None:
    if not owner or plan.matter is None:
        return plan.matter
    return next((m for m in plan.matter.members if m.id == owner), None)


def _answers(m: CompiledMatter | None, answers: dict[str, Any]) -> list[dict[str, str]]:
    if m is None:
        return []
    rows = []
    for f in m.fields.values():
        value = get(answers, f.key) if f.key else None
        if value is None or str(f.type) in ("info", "file") or not f.label:
            continue
        rows.append({"key": f.key, "label": f.label, "value": value_text(value), "raw": value})
    return rows


def _materials(services: Services, plan: Plan, owner: str) -> list[dict[str, str]]:
    """The task's materials; an 电子证照 is fetched from the library (the holder's newest of
    that type), so a bundle's 出生登记 reads the 出生医学证明 its first member issued."""
    kinds_of = {
        s.material.id: s.material.licence_type
        for s in (plan.matter.materials if plan.matter else ())
    }
    applicant = applicant_of(plan.case)
    out = []
    for x in plan.case.summary.get("materials", []):
        if owner and owner not in (x.get("matters") or [owner]):
            continue
        source = str(x.get("source"))
        licence_type = kinds_of.get(str(x.get("id")))
        snapshot = services.registry.current if services.registry else None
        ours = snapshot is not None and snapshot.org.licence_type(licence_type) is not None
        if licence_type and ours:  # a licence this county issues: in its own library
            found = services.store.licences.of_holder(
                applicant.id_number if applicant else None, licence_type
            )
            source = (
                f"已从电子证照库调取：{found[0].identifier}（{found[0].issuer}，{found[0].issued_on}）"
                if found
                else f"{source}（电子证照库中尚无，待签发或调取）"
            )
        out.append({"id": str(x.get("id")), "name": str(x.get("name")), "source": source})
    return out


def history_of(plan: Plan, chains: dict[str, list[Event]]) -> list[dict[str, str]]:
    """Every department event of the case, oldest first, with its step's name."""
    names = {(s.owner, s.step): s.name for s in plan.app.steps}
    members = dict(plan.app.names)
    rows = []
    for owner, events in chains.items():
        for e in events:
            if e.kind not in _KIND_WORDS:
                continue
            d = e.data or {}
            step = names.get((owner, str(d.get("step", ""))), "")
            text = str(d.get("opinion") or d.get("reason") or "")
            if e.kind == kinds.CONCLUDED:
                text = _DECISIONS.get(str(d.get("decision")), "") + (f"：{text}" if text else "")
            if d.get("basis"):
                text += f"（依据：{d['basis']}）"
            facts = "；".join(f"{k}：{value_text(v)}" for k, v in (d.get("facts") or {}).items())
            rows.append(
                {
                    "at": e.at[:16].replace("T", " "),
                    "matter": members.get(owner, "") if owner else "",
                    "step": step,
                    "what": _KIND_WORDS[e.kind],
                    "text": text,
                    "facts": facts,
                    "who": "系统"
                    if (e.actor or "").startswith("system")
                    else (e.actor or "").split(":", 2)[-1],
                }
            )
    return sorted(rows, key=lambda r: r["at"])


def _actions(
    services: Services, member: StaffMember | None, plan: Plan, task: TaskState
) -> set[str]:
    region = plan.case.region
    approver = can_act(member, "approver", region, None)
    mine = department_for(services, member, region, task) is not None
    if not (mine or approver) or task.state not in ("open", "claimed", "suspended"):
        return set()
    if task.state == "suspended":
        return {"resume"}
    me = f"staff:{member.id}:{member.login}" if member else ""
    if task.claimed_by and task.claimed_by != me:
        return {"release", "assign"} if approver else set()
    out = {"release"} if task.claimed_by == me else {"claim"}
    decide = task.step.kind == "decide"
    if decide:
        if approver or task_roles(services, task.step) != "approver":
            out.add("approve")
        if approver:
            out.add("deny")
    else:
        out.add("pass")
        if approver:
            out.add("deny")
    out |= {"send_back", "suspend", "correct"}
    if approver:
        out.add("assign")
    return out


def _earlier(fold: Fold, task: TaskState) -> list[tuple[str, str]]:
    done = [
        t
        for t in fold.tasks
        if t.step.owner == task.step.owner
        and t.state == "done"
        and t.step.kind not in ("accept", "deliver")
        and t.step.pid != task.step.pid
    ]
    return [(t.step.step, t.step.name) for t in done]


def _items(answers: Iterable[dict[str, str]], mats: Iterable[dict[str, str]]) -> list:
    return [(f"answer:{a['key']}", a["label"]) for a in answers] + [
        (f"material:{m['id']}", m["name"]) for m in mats
    ]


def view_task(services: Services, member: StaffMember | None, ref: TaskRef) -> TaskView:
    """The task page's data; NotFound outside the member's scope."""
    plan, _ = open_plan(services, member, ref)
    chains = {o: services.store.cases.events(no) for o, no in plan.owners.items()}
    f = plan.fold(chains)
    task = f.task(ref.owner, ref.step)
    assert task is not None  # open_plan found the step
    m = _member_matter(plan, ref.owner)
    answers = _answers(m, current_answers(plan.case.answers, chains.get("", [])))
    mats = _materials(services, plan, ref.owner)
    return TaskView(
        plan=plan,
        fold=f,
        task=task,
        matter_name=m.name if m is not None else str(plan.case.summary.get("matter_name")),
        answers=answers,
        materials=mats,
        history=history_of(plan, chains),
        actions=_actions(services, member, plan, task),
        earlier=_earlier(f, task),
        items=_items(answers, mats),
    )
