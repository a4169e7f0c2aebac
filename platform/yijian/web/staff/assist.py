"""帮办代办 at the window: ``/staff/assist`` starts an application for a person (``apply.assist``).

The clerk picks the matter and records the applicant's identity; the clerk's browser then
fills the citizen's own form pages (the draft is remembered in this browser like any
anonymous draft) and, before submitting, enters the code the applicant received or attests a
signed printout. Only a clerk of the site's region may start one.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from yijian.apply.assist import AssistError, start_assisted
from yijian.apply.errors import NotFound
from yijian.office.scope import can_act
from yijian.office.window import actor_of
from yijian.web.draftcookie import remember
from yijian.web.offload import run, services_of
from yijian.web.redirects import see_other
from yijian.web.staffauth import require

FIELDS = ("matter", "name", "id_number", "phone")


async def assist_page(request: Request) -> Response:
    return await run(request, _page, request, None, {})


def _page(
    request: Request, error: str | None, typed: dict[str, str], status: int = 200
) -> Response:
    member = require(request)
    services = services_of(request)
    if not can_act(member, "clerk", services.region or "", None):
        raise NotFound()  # not announced to those who may not use it
    snapshot = services.registry.current
    matters = sorted(
        ((m.id, m.name) for m in (snapshot.matters.values() if snapshot else ())),
        key=lambda x: x[1],
    )
    context = {"member": member, "title": "帮办代办", "matters": matters}
    context |= {"error": error, "typed": typed}
    return request.app.state.templates.render(
        request, "staff/assist.html", context, status_code=status,
        headers={"cache-control": "no-store"},
    )  # fmt: skip


async def assist_start(request: Request) -> Response:
    async with request.form(max_files=0, max_fields=10) as form:
        typed = {k: str(form.get(k) or "")[:100] for k in FIELDS}
    return await run(request, _start, request, typed)


def _start(request: Request, typed: dict[str, str]) -> Response:
    member = require(request)
    services = services_of(request)
    if not can_act(member, "clerk", services.region or "", None):
        raise NotFound()
    try:
        started = start_assisted(
            services, typed["matter"], actor_of(member), typed["name"], typed["id_number"],
            typed["phone"],
        )  # fmt: skip
    except AssistError as exc:
        return _page(request, exc.message, typed, 400)
    response = see_other(f"/drafts/{started.draft_id}/{started.first_page}")
    remember(request, response, started.draft_id)
    return response


def assist_routes() -> list[Route]:
    return [
        Route("/staff/assist", assist_page, methods=["GET"], name="staff_assist"),
        Route("/staff/assist", assist_start, methods=["POST"]),
    ]
