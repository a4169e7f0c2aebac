"""What the window's case page shows: the answers as the applicant checked them, the
materials with their files, the eligibility evaluated again on the pinned version, every step
with its actor, what a correction changed, and the actions the member may take now."""

from __future__ import annotations

import copy
import dataclasses
from typing import Any

from starlette.requests import Request

from yijian.apply.cases import clock_of
from yijian.apply.evaluation import outcome
from yijian.apply.summary import applicant as recorded_applicant
from yijian.casework import kinds
from yijian.casework.timeline import current_answers, outstanding, steps
from yijian.casework.window import STATUS_WORDS
from yijian.documents.receipt import Applicant
from yijian.documents.receipt_inputs import applicant_of
from yijian.office.delivery import may_deliver, post_address
from yijian.office.scope import can_act
from yijian.office.tasks import fold_case
from yijian.office.tolerance import commitment_of, tolerable
from yijian.office.window import WindowCase, correctable
from yijian.runtime.answers import get, put
from yijian.runtime.mask import mask_id
from yijian.store.staff import StaffMember
from yijian.web.explainview import staff_rules
from yijian.web.formstate import display
from yijian.web.offload import services_of


def _sections(request: Request, seen: WindowCase, answers: dict[str, Any]) -> list[dict]:
    m, regions = seen.matter, request.app.state.regions
    if m is None:  # the definition is gone: the answers as stored, key by key
        rows = [{"key": k, "value": str(v)} for k, v in answers.items()]
        return [{"title": "申请内容", "rows": rows}]
    result = []
    for page in m.pages:
        rows = []
        for f in page.fields:
            value = get(answers, f.key) if f.key else None
            if not f.key or value is None or str(f.type) == "info":
                continue
            rows.append({"key": f.label or "承诺", "value": display(f, value, regions)})
        if rows:
            result.append({"title": page.title, "rows": rows})
    return result


def _changes(seen: WindowCase) -> list[dict[str, Any]]:
    """Per correction: each changed answer, before and after, and the new files."""
    labels = {f.key: f.label for f in seen.matter.fields.values()} if seen.matter else {}
    answers = copy.deepcopy(dict(seen.case.answers))
    found = []
    for e in seen.events:
        if e.kind != kinds.CORRECTED:
            continue
        rows = []
        for key, value in (e.data.get("answers") or {}).items():
            if get(answers, key) != value:
                rows.append({"label": labels.get(key, key), "was": get(answers, key), "now": value})
            put(answers, key, value)
        for mid in e.data.get("files", {}):
            rows.append({"label": _material_name(seen, mid), "was": None, "now": "已重新上传"})
        found.append({"on": e.at[:16].replace("T", " "), "rows": rows})
    return found


def _material_name(seen: WindowCase, mid: str) -> str:
    for m in seen.case.summary.get("materials", []):
        if str(m.get("id")) == mid:
            return str(m.get("name") or mid)
    return mid


def _materials(request: Request, seen: WindowCase) -> list[dict[str, Any]]:
    """Every material of the case: its file(s) when uploaded, else where it comes from
    (电子证照, 数据共享, 前序事项 …) or that it is still to come (容缺后补)."""
    refs = request.app.state.store.files.for_draft(seen.case.draft_id)
    files: dict[str, list[dict[str, str]]] = {}
    for r in refs:
        href = f"/staff/cases/{seen.case.case_no}/files/{r.id}"
        files.setdefault(r.material_id, []).append({"file": r.name, "href": href})
    listed = seen.case.summary.get("materials", [])
    out = [
        {
            "name": str(m.get("name") or m.get("id")),
            "files": files.pop(str(m.get("id")), []),
            "source": str(m.get("source") or ""),
            "necessity": str(m.get("necessity") or ""),
        }
        for m in listed
    ]
    out += [{"name": mid, "files": f, "source": "", "necessity": ""} for mid, f in files.items()]
    return out


def case_context(
    request: Request, member: StaffMember, seen: WindowCase, error: str | None
) -> dict[str, Any]:
    case = seen.case
    answers = current_answers(case.answers, seen.events)
    clock = clock_of(services_of(request), case, seen.events, seen.matter)
    applicant = _applicant(request, seen, answers)
    return {
        "member": member,
        "title": f"办件 {case.case_no}",
        "case": case,
        "name": seen.matter.name if seen.matter else case.summary.get("matter_name"),
        "status": STATUS_WORDS.get(seen.status, seen.status),
        "open": seen.status == "submitted",
        "may_act": seen.may_act and seen.status == "submitted",
        "department": seen.department,
        "applicant": _who(applicant),
        "sections": _sections(request, seen, answers),
        "materials": _materials(request, seen),
        "eligible": None if seen.out is None else seen.out.eligible,
        "failing": [r.text for r in seen.out.rules if r.passed is False] if seen.out else [],
        # each failing rule explained: id, definition file:line, conditions with the answers
        "rules": staff_rules(seen.matter, seen.out, request.app.state.regions) if seen.out else [],
        "steps": [
            {
                "on": s.on,
                "title": s.title,
                "detail": s.detail,
                "actor": _actor(seen, s.seq),
                "notice": s.notice,
                "href": f"/staff/cases/{case.case_no}/notices/{s.seq}.pdf",
            }
            for s in steps(seen.events)
        ],
        "changes": _changes(seen),
        "items": [{"value": f"{k}:{i}", "label": v} for (k, i), v in correctable(seen).items()],
        "assisted": _assisted(case.summary.get("assisted")),
        "may_extend": can_act(member, "approver", case.region, None)
        and clock is not None
        and clock.deadline is not None
        and not clock.closed,
        "tolerable": tolerable(seen),
        "commitment": commitment_of(seen),
        "outstanding": outstanding(seen.events),
        "may_deliver": seen.may_act and may_deliver(seen.events) is None,
        "post_address": post_address(answers),
        "tasks": _tasks(request, seen),
        "checks": _checks(seen),
        "clock": clock,
        "error": error,
    }


_TASK_WORDS = {
    "waiting": "未开始",
    "open": "待认领",
    "claimed": "办理中",
    "suspended": "暂停",
    "done": "已办完",
    "skipped": "不适用",
    "closed": "已结束",
    "window": "待出件",
}


def _tasks(request: Request, seen: WindowCase) -> list[dict[str, str]]:
    """The case's steps after acceptance, each with its state, deadline and link."""
    if seen.status in ("submitted", "correction", "refused"):
        return []
    plan, f = fold_case(services_of(request), seen.case)
    names = dict(plan.app.names)
    return [
        {
            "matter": names.get(t.step.owner, ""),
            "name": t.step.name,
            "state": _TASK_WORDS.get(t.state, t.state),
            "due": t.due.isoformat() if t.due else "",
            "href": f"/staff/tasks/{seen.case.case_no}/{t.step.owner or '-'}/{t.step.step}",
            "kind": t.step.kind,
        }
        for t in f.tasks
        if t.step.kind not in ("accept",)
    ]


def _checks(seen: WindowCase) -> list[dict[str, str]]:
    """告知承诺 核查 pages: the case's own (a single matter) or each member's sub-case."""
    chains = [seen.case] if seen.case.summary.get("kind") != "bundle" else seen.case.children
    return [
        {
            "matter": str(c.summary.get("matter_name") or c.matter_id),
            "text": "、".join(str(x.get("text") or "")[:40] for x in c.summary["commitments"]),
            "href": f"/staff/checks/{c.case_no}",
        }
        for c in chains
        if c.summary.get("commitments")
    ]


def _applicant(request: Request, seen: WindowCase, answers: dict[str, Any]) -> Applicant | None:
    """Who applies, as corrected: after a 补正 of a name or a number the pinned matter says it
    again from the current answers; else the summary's record (the window's 帮办 record wins)."""
    case = seen.case
    summary = case.summary
    if answers != case.answers and seen.matter is not None and "assisted" not in summary:
        again = recorded_applicant(seen.matter, outcome(services_of(request), seen.matter, answers))
        if again is not None:
            summary = {**summary, "applicant": again}
    return applicant_of(dataclasses.replace(case, answers=answers, summary=summary))


def _who(applicant: Applicant | None) -> dict[str, Any]:
    """申请人 for the window; under 代办 the person applied for, and the 代办人 with their
    relation and phone (the clerk checks the 代办人's ID card and, for a 委托代理人, the
    授权委托书)."""
    if applicant is None:
        return {"name": None, "id": None, "agent": None}
    party = applicant.party if applicant.agent else applicant
    agent = None
    if applicant.agent:
        bits = [applicant.name]
        bits += [f"（{mask_id(applicant.id_number)}）"] if applicant.id_number else []
        bits += [f"，与申请人关系：{applicant.relation}"] if applicant.relation else []
        bits += [f"，手机 {applicant.phone}"] if applicant.phone else []
        agent = "".join(bits)
    return {
        "name": party.name if party else None,
        "id": mask_id(party.id_number) if party else None,
        "agent": agent,
    }


def _assisted(record: Any) -> str | None:
    """帮办代办: who filled it, and how the applicant confirmed."""
    if not isinstance(record, dict):
        return None
    how = {"code": "申请人以确认码确认", "printout": "申请人签字确认"}.get(record.get("via"), "")
    return f"工作人员 {str(record.get('by', '')).split(':')[-1]} 代办，{how}"


def _actor(seen: WindowCase, seq: int) -> str:
    actor = next((e.actor for e in seen.events if e.seq == seq), None) or ""
    if actor.startswith("staff:"):
        return "工作人员 " + actor.split(":", 2)[-1]
    if actor.startswith("system"):  # what followed from a department's action, or the worker
        return "系统"
    return "申请人" if actor else ""
