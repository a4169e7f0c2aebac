"""电子监察: the supervision page and its CSV export, thin over ``office.supervision``.

Parse the filters, compute in a worker thread, render. A member without a supervisor or admin
grant, or a region filter outside their scope, gets 404 (the page is not announced to those
who may not use it); the signed-out get the staff sign-in, like every staff page.
"""

from __future__ import annotations

from datetime import date
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from yijian.office import supervision
from yijian.office.supervision import Filters
from yijian.web.offload import run, services_of
from yijian.web.staffauth import require

LIGHTS = {"red": "红", "yellow": "黄", "green": "绿", "paused": "停"}
LISTS = {
    "overdue": "超期办件",
    "late_steps": "办件未超期而环节超期",
    "deemed": "视为受理（五个工作日内未作窗口处理）",
    "refusals": "不予受理、不予许可",
    "cards": "黄牌、红牌",
    "bad_ratings": "差评及整改（好差评）",
}
SHOWN = 500


def _filters(request: Request) -> Filters:
    q = request.query_params

    def text(name: str, size: int = 64) -> str:
        return q.get(name, "").strip()[:size]

    def day(name: str) -> date | None:
        try:
            return date.fromisoformat(text(name, 10))
        except ValueError:
            return None

    return Filters(
        text("region", 12), text("department"), text("matter"), day("since"), day("until")
    )


def _query(f: Filters) -> str:
    pairs = {
        "region": f.region, "department": f.department, "matter": f.matter,
        "since": f.since.isoformat() if f.since else "",
        "until": f.until.isoformat() if f.until else "",
    }  # fmt: skip
    kept = {k: v for k, v in pairs.items() if v}
    return f"?{urlencode(kept)}" if kept else ""


async def page(request: Request) -> Response:
    return await run(request, _page, request)


def _page(request: Request) -> Response:
    member = require(request)
    d = supervision.dashboard(services_of(request), member, _filters(request))
    context = {
        "member": member, "d": d, "query": _query(d.filters), "lights": LIGHTS,
        "lists": LISTS, "shown": SHOWN, "title": "电子监察",
    }  # fmt: skip
    return request.app.state.templates.render(
        request, "staff/supervision.html", context, headers={"cache-control": "no-store"}
    )


async def export(request: Request) -> Response:
    return await run(request, _export, request)


def _export(request: Request) -> Response:
    member = require(request)
    d = supervision.dashboard(services_of(request), member, _filters(request))
    cases = request.query_params.get("part") == "cases"
    text = supervision.lines_csv(d) if cases else supervision.rows_csv(d)
    name = f"supervision-{'cases' if cases else 'figures'}-{d.today.isoformat()}.csv"
    return Response(
        text.encode("utf-8"),
        media_type="text/csv; charset=utf-8",
        headers={
            "content-disposition": f'attachment; filename="{name}"',
            "cache-control": "no-store",
        },
    )


def supervision_routes() -> list[Route]:
    return [
        Route("/staff/supervision", page, methods=["GET"], name="staff_supervision"),
        Route("/staff/supervision.csv", export, methods=["GET"], name="staff_supervision_csv"),
    ]
