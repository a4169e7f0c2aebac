"""``/staff/ratings/<case_no>``: a 差评's rectification (回访, 整改, 申诉复核).

Thin over ``office.ratings``: the responsible department's reviewers and the region's heads act;
a supervisor of the region decides an appeal; everyone else gets 404.
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from yijian.casework.rating import GRADES, INDICATORS
from yijian.office.ratings import RatingError, staff_act, view
from yijian.web.offload import run, services_of
from yijian.web.redirects import see_other
from yijian.web.staffauth import require


async def rating_page(request: Request) -> Response:
    return await run(request, _page, request, None)


def _page(request: Request, error: str | None, status: int = 200) -> Response:
    member = require(request)
    v = view(services_of(request), member, request.path_params["case_no"])
    events = services_of(request).store.cases.events(v.case.case_no)
    rated = next(
        (e for e in events if e.kind == "rated" and e.data.get("channel") != "window"), None
    )
    context = {
        "member": member, "v": v, "error": error, "title": f"差评处理 · {v.case.case_no}",
        "grade": GRADES.get(v.state.score or 0, ""), "rated": rated,
        "indicators": [(INDICATORS[k], GRADES.get(s, "")) for k, s in
                       ((rated.data.get("indicators") or {}).items() if rated else ())
                       if k in INDICATORS],
        "history": [e for e in events if e.kind in
                    ("revisited", "rectified", "rating_appealed", "appeal_decided")],
    }  # fmt: skip
    return request.app.state.templates.render(
        request, "staff/rating.html", context, status_code=status,
        headers={"cache-control": "no-store"},
    )  # fmt: skip


async def rating_act(request: Request) -> Response:
    async with request.form(max_files=0, max_fields=10) as form:
        fields = {k: str(form.get(k) or "") for k in form}
    return await run(request, _act, request, fields)


def _act(request: Request, fields: dict[str, Any]) -> Response:
    member = require(request)
    case_no = request.path_params["case_no"]
    try:
        staff_act(services_of(request), member, case_no, request.path_params["action"],
                  fields.get("note", ""), fields.get("upheld") == "1")  # fmt: skip
    except RatingError as exc:
        return _page(request, str(exc), 400)
    return see_other(f"/staff/ratings/{case_no}")


def rating_staff_routes() -> list[Route]:
    return [
        Route("/staff/ratings/{case_no}", rating_page, methods=["GET"], name="staff_rating"),
        Route("/staff/ratings/{case_no}/{action}", rating_act, methods=["POST"]),
    ]
