"""The window's pages (一窗受理): the queue, one case, and the clerk's actions on it.

Thin adapters over ``office.queue`` and ``office.window``: parse, call in a worker thread,
render. Every action is a same-origin POST (the security middleware) that acts once; an action
the case's state does not allow comes back as the case page with the reason (400) and changes
nothing. A case outside the member's scope is 404, like an unknown number.
"""

from __future__ import annotations

from dataclasses import fields
from datetime import date
from typing import Any

from markupsafe import Markup
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from yijian.apply.errors import NotFound
from yijian.office import delivery, ratings, tolerance, window
from yijian.office import queue as window_queue
from yijian.office.window import Correction, WindowError
from yijian.web.offload import in_store, run, services_of
from yijian.web.pdfs import file_response, notice_response
from yijian.web.redirects import see_other
from yijian.web.staff.casepage import case_context
from yijian.web.staff.commitment import commitment_routes
from yijian.web.staff.formfields import act_with_fields, one
from yijian.web.staffauth import require


async def queue_page(request: Request) -> Response:
    """The queue: the member and the page's rows in one call on the store thread, then the
    page drawn on the event loop (``offload.in_store``: why, in its docstring)."""
    member, found, total, number = await in_store(request, _queue_rows, request)
    state = request.app.state
    kept = getattr(state, "queue_items", None)
    if kept is None:
        kept = state.queue_items = {}
    page = window_queue.shape(services_of(request), found, total, number, kept)
    rows = _row_html(request, page.items)
    context = {"member": member, "queue": page, "rows": rows, "title": "窗口待办"}
    return request.app.state.templates.render(
        request, "staff/queue.html", context, headers={"cache-control": "no-store"}
    )


ROWS_KEPT = 4096
ROW_FIELDS = tuple(f.name for f in fields(window_queue.QueueItem))


def _row_html(request: Request, items: list[Any]) -> list[Any]:
    """Each row's HTML, kept per row state (every field of the item is in the key, so a
    changed wait, light or applicant draws anew): a queue reloaded all day long redraws only
    what changed (bench_queue). Bounded; oldest first."""
    state = request.app.state
    kept: dict[Any, Any] | None = getattr(state, "queue_rows", None)
    if kept is None:
        kept = state.queue_rows = {}
    templates = request.app.state.templates
    theme = templates.theme_of(request)
    module: Any = None
    out = []
    for it in items:
        key = (theme, *(getattr(it, name) for name in ROW_FIELDS))
        html = kept.get(key)
        if html is None:
            if module is None:
                module = templates.env(request).get_template("staff/_queue_row.html").module
            html = Markup(module.row(it))
            if len(kept) >= ROWS_KEPT:
                kept.pop(next(iter(kept)))
            kept[key] = html
        out.append(html)
    return out


def _queue_rows(request: Request) -> tuple[Any, list[Any], int, int]:
    member = require(request)
    raw = request.query_params.get("page", "1")
    number = int(raw) if raw.isdigit() and len(raw) < 7 else 1
    query = request.query_params
    found, total, page = window_queue.rows(
        services_of(request), member, number, query.get("after"), query.get("before")
    )
    return member, found, total, page


async def case_page(request: Request) -> Response:
    return await run(request, _case_page, request, None)


def _case_page(request: Request, error: str | None, status: int = 200) -> Response:
    member = require(request)
    seen = window.open_case(services_of(request), member, request.path_params["case_no"])
    context = case_context(request, member, seen, error)
    return request.app.state.templates.render(
        request,
        "staff/case.html",
        context,
        status_code=status,
        headers={"cache-control": "no-store"},
    )


async def act(request: Request) -> Response:
    return await act_with_fields(request, _act)


def _act(request: Request, fields: dict[str, list[Any]]) -> Response:
    member = require(request)
    services = services_of(request)
    case_no = request.path_params["case_no"]
    action = request.path_params["action"]
    try:
        if action == "accept":
            window.accept(services, member, case_no)
        elif action == "refuse":
            window.refuse(services, member, case_no, one(fields, "reason"), one(fields, "basis"))
        elif action == "extend":
            raw = one(fields, "days").strip()
            days = int(raw) if raw.isdigit() and len(raw) < 4 else 0
            window.extend(services, member, case_no, days, one(fields, "reason"))
        elif action == "tolerate":
            materials = [str(m) for m in fields.get("material", [])][:50]
            signed = any(str(v) == "1" for v in fields.get("signed", []))
            due = _date(fields, "due")
            tolerance.accept_tolerantly(services, member, case_no, materials, due, signed)
        elif action == "rate":  # 一次一评: the visitor rates this visit at the window
            seen = window.open_case(services, member, case_no, evaluate=False)
            if not seen.may_act:
                raise WindowError("您没有该办件所在地区的综合窗口权限")
            raw = one(fields, "score")
            score = int(raw) if raw in ("1", "2", "3", "4", "5") else 0
            try:
                ratings.rate(services, seen.case, window.actor_of(member), score, {},
                             one(fields, "comment")[:500], channel="window")  # fmt: skip
            except ratings.RatingError as exc:
                raise WindowError(str(exc)) from exc
        elif action == "deliver":
            method = one(fields, "method")
            address, tracking = one(fields, "address"), one(fields, "tracking")
            delivery.deliver(services, member, case_no, method, address, tracking)
        elif action == "correct":
            items = _corrections(fields)
            window.request_correction(services, member, case_no, items, _date(fields, "due"))
        else:
            raise NotFound()
    except WindowError as exc:
        return _case_page(request, str(exc), 400)
    return see_other(f"/staff/cases/{case_no}")


def _date(fields: dict[str, list[Any]], name: str) -> date | None:
    try:
        return date.fromisoformat(one(fields, name).strip())
    except ValueError:
        return None


def _corrections(fields: dict[str, list[Any]]) -> list[Correction]:
    """Ticked items (``item`` = ``answer:<key>`` / ``material:<id>``) with their reasons."""
    items = []
    for ticked in fields.get("item", [])[:200]:
        kind, _, ident = str(ticked).partition(":")
        if kind in ("answer", "material") and ident:
            items.append(Correction(kind, ident, one(fields, f"reason:{ticked}")))
    return items


async def case_notice(request: Request) -> Response:
    """A notice of a case the member may see."""
    seen = await run(request, _seen, request)
    return await notice_response(request, seen.case)


def _seen(request: Request) -> window.WindowCase:
    return window.open_case(services_of(request), require(request), request.path_params["case_no"])


def window_routes() -> list[Route]:
    return [
        Route("/staff", queue_page, methods=["GET"], name="staff_queue"),
        Route("/staff/cases/{case_no}", case_page, methods=["GET"], name="staff_case"),
        Route("/staff/cases/{case_no}/files/{file_id}", case_file, methods=["GET"]),
        Route("/staff/cases/{case_no}/notices/{seq}.pdf", case_notice, methods=["GET"]),
        Route("/staff/cases/{case_no}/{action}", act, methods=["POST"], name="staff_act"),
        *commitment_routes(),  # 告知承诺 核查: a case's page of its own
    ]


async def case_file(request: Request) -> Response:
    """A file of a case the member may see (its draft's uploads and corrections' files)."""
    ref, data = await run(request, _case_file, request)
    return file_response(ref, data)


def _case_file(request: Request) -> tuple[Any, bytes]:
    member = require(request)
    seen = window.open_case(services_of(request), member, request.path_params["case_no"])
    store = request.app.state.store
    ref = store.files.get(request.path_params["file_id"][:64])
    if ref is None or ref.draft_id != seen.case.draft_id:
        raise NotFound()
    return ref, store.files.open(ref.sha256)
