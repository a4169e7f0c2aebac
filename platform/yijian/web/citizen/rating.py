"""``POST /cases/<no>/rate``: 好差评, one rating per closed case (一事一评), by its applicant.

The same capability as the case page (``owned_case``: the owner, or the browser that filled an
anonymous case). A 差评 (1–2) opens the responsible department's rectification task in the same
transaction (``office.ratings``).
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from yijian.casework.rating import INDICATORS
from yijian.office.ratings import RatingError, rate
from yijian.web.citizen.cases import owned_case, render_case_page
from yijian.web.offload import run, services_of
from yijian.web.redirects import see_other


def _grade(value: Any) -> int:
    text = str(value or "")
    return int(text) if text in ("1", "2", "3", "4", "5") else 0


async def rate_post(request: Request) -> Response:
    async with request.form(max_files=0, max_fields=20) as form:
        fields = {k: str(form.get(k) or "") for k in form}
    return await run(request, _rate, request, fields)


def _rate(request: Request, fields: dict[str, str]) -> Response:
    user, case = owned_case(request)
    actor = f"citizen:{user.id}" if user else "applicant"
    indicators = {k: _grade(fields.get(f"indicator:{k}")) for k in INDICATORS}
    try:
        graded = {k: v for k, v in indicators.items() if v}
        comment = fields.get("comment", "")[:500]
        rate(services_of(request), case, actor, _grade(fields.get("score")), graded, comment)
    except RatingError as exc:
        return render_case_page(request, case, user, rating_error=str(exc))
    return see_other(f"/cases/{case.case_no}#rating")


def rating_routes() -> list[Route]:
    return [Route("/cases/{case_no}/rate", rate_post, methods=["POST"], name="rate")]
