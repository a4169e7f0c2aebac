"""The department's pages (后台分类审批): its queue, one task, and the actions on it.

Thin adapters over ``office.taskqueue``, ``office.taskview`` and ``office.taskactions``: parse,
call in a worker thread, render. An action the task's state does not allow comes back as the
task page with the reason (400) and changes nothing; a task outside the member's scope is 404.
URLs name a task by case, owner (the member matter of a bundle, ``-`` for the case's own
steps) and step.
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from yijian.apply.errors import NotFound, Unreadable
from yijian.apply.evaluation import outcome
from yijian.office import taskactions as actions
from yijian.office.review import FactErrors, ReviewError, TaskRef
from yijian.office.taskqueue import task_queue
from yijian.office.taskview import view_task
from yijian.web.explainview import staff_rules
from yijian.web.formstate import display
from yijian.web.offload import run, services_of
from yijian.web.redirects import see_other
from yijian.web.staff.formfields import act_with_fields, one
from yijian.web.staffauth import require

__all__ = ["task_routes"]


async def queue_page(request: Request) -> Response:
    return await run(request, _queue_page, request)


def _queue_page(request: Request) -> Response:
    member = require(request)
    q = request.query_params
    page = task_queue(
        services_of(request),
        member,
        q.get("department", "")[:64] or None,
        q.get("after", "")[:200] or None,
        q.get("mine") == "1",
    )
    context = {"member": member, "page": page, "title": "部门待办"}
    return request.app.state.templates.render(
        request, "staff/tasks.html", context, headers={"cache-control": "no-store"}
    )


def _ref(request: Request) -> TaskRef:
    p = request.path_params
    owner = p["owner"]
    return TaskRef(p["case_no"], "" if owner == "-" else owner, p["step"])


async def task_page(request: Request) -> Response:
    return await run(request, _task_page, request, None)


def _task_page(
    request: Request,
    error: str | None,
    status: int = 200,
    fact_errors: dict[str, str] | None = None,
    fields: dict[str, list[Any]] | None = None,
) -> Response:
    member = require(request)
    ref = _ref(request)
    v = view_task(services_of(request), member, ref)
    _worded(request, v)
    owner = ref.owner or "-"
    values = {k[5:]: str(vs[0]) for k, vs in (fields or {}).items() if k.startswith("fact:") and vs}
    context = {
        "member": member,
        "title": f"{v.task.step.name} · 办件 {ref.case_no}",
        "v": v,
        "href": f"/staff/tasks/{ref.case_no}/{owner}/{ref.step}",
        "error": error,
        "fact_errors": fact_errors or {},
        "fact_list": [{"href": f"#fact-{k}", "text": m} for k, m in (fact_errors or {}).items()],
        "fact_values": values,
        "options_of": {f.key: [(o.value, o.label) for o in f.options] for f in v.task.step.fields},
        "opinion": one(fields or {}, "opinion"),
        "rules": _rules(request, v, ref.owner),
    }
    return request.app.state.templates.render(
        request, "staff/task.html", context, status_code=status,
        headers={"cache-control": "no-store"},
    )  # fmt: skip


def _rules(request: Request, v: Any, owner: str) -> list[dict[str, Any]]:
    """The step's matter's rules that fail on the case's answers, re-evaluated on the pinned
    version and explained with each rule's file:line, as the window's case page shows them."""
    m = v.plan.matter
    if m is None:
        return []
    try:
        out = outcome(services_of(request), m, dict(v.plan.case.answers))
    except Unreadable:
        return []
    rows = staff_rules(m, out, request.app.state.regions)
    return [r for r in rows if not owner or r["id"].startswith(owner + ".")]


def _worded(request: Request, v: Any) -> None:
    """The answers as the check-your-answers page words them (region names, units, dates)."""
    m = v.plan.matter
    members = {x.id: x for x in (m.members if m else ())}
    matter = members.get(v.task.step.owner, m) if v.task.step.owner else m
    specs = {f.key: f for f in (matter.fields.values() if matter else ()) if f.key}
    for row in v.answers:
        spec = specs.get(row["key"])
        if spec is not None:
            shown = display(spec, row["raw"], request.app.state.regions)
            if shown is not None:
                row["value"] = "；".join(shown) if isinstance(shown, list) else str(shown)


async def act(request: Request) -> Response:
    return await act_with_fields(request, _act)


def _act(request: Request, fields: dict[str, list[Any]]) -> Response:
    member = require(request)
    services = services_of(request)
    ref = _ref(request)
    action = request.path_params["action"]
    facts = {k[5:]: str(v[0]) for k, v in fields.items() if k.startswith("fact:") and v}
    try:
        if action == "claim":
            actions.claim(services, member, ref)
        elif action == "release":
            actions.release(services, member, ref)
        elif action == "assign":
            to = services.store.staff.by_login(one(fields, "to").strip()[:64])
            actions.assign(services, member, ref, to)
        elif action in ("pass", "approve"):
            opinion = one(fields, "opinion")
            actions.pass_step(services, member, ref, opinion, facts, approve=action == "approve")
        elif action == "deny":
            actions.deny(services, member, ref, one(fields, "reason"), one(fields, "basis"))
        elif action == "send_back":
            actions.send_back(services, member, ref, one(fields, "to"), one(fields, "reason"))
        elif action == "suspend":
            raw = one(fields, "planned_days").strip()
            days = int(raw) if raw.isdigit() and len(raw) < 4 else 0
            reason = one(fields, "reason")
            actions.suspend(services, member, ref, one(fields, "procedure"), days, reason)
        elif action == "resume":
            actions.resume(services, member, ref)
        elif action == "correct":
            items = _items(fields)
            actions.request_correction(services, member, ref, items, one(fields, "due")[:10])
        else:
            raise NotFound()
    except FactErrors as exc:
        return _task_page(request, str(exc), 400, exc.errors, fields)
    except ReviewError as exc:
        return _task_page(request, str(exc), 400, None, fields)
    owner = ref.owner or "-"
    return see_other(f"/staff/tasks/{ref.case_no}/{owner}/{ref.step}")


def _items(fields: dict[str, list[Any]]) -> list[dict[str, str]]:
    out = []
    for ticked in fields.get("item", [])[:200]:
        kind, _, ident = str(ticked).partition(":")
        if kind in ("answer", "material") and ident:
            reason = one(fields, f"reason:{ticked}")[:500]
            out.append({"kind": kind, "id": ident, "label": ident, "reason": reason})
    return out


def task_routes() -> list[Route]:
    base = "/staff/tasks/{case_no}/{owner}/{step}"
    return [
        Route("/staff/tasks", queue_page, methods=["GET"], name="staff_tasks"),
        Route(base, task_page, methods=["GET"], name="staff_task"),
        Route(base + "/{action}", act, methods=["POST"], name="staff_task_act"),
    ]
