"""``/progress``: 办件查询 by case number and the applicant's ID number (``apply.lookup``).

A POST, so the ID number never sits in a URL or a log; same-origin like every post. The page
shows progress only (status, steps, promised date); a wrong pair gets one message for all
cases, so nothing is learnt about which numbers exist.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from yijian.apply.lookup import progress
from yijian.web.offload import run, services_of

NOT_FOUND = "没有找到与办件编号和身份证件号码都相符的办件，请核对后重试"


async def progress_page(request: Request) -> Response:
    if request.method == "GET":
        return _render(request, None, None, "")
    async with request.form(max_files=0, max_fields=5) as form:
        case_no = str(form.get("case_no") or "")[:40]
        id_number = str(form.get("id_number") or "")[:40]
    found = await run(request, progress, services_of(request), case_no, id_number)
    if found is None:
        return _render(request, None, NOT_FOUND, case_no, status=404)
    return _render(request, found, None, case_no)


def _render(
    request: Request, case: dict | None, error: str | None, case_no: str, status: int = 200
) -> Response:
    context = {"case": case, "error": error, "case_no": case_no}
    return request.app.state.templates.render(
        request,
        "case/progress.html",
        context,
        status_code=status,
        headers={"cache-control": "no-store"},
    )


def progress_routes() -> list[Route]:
    return [Route("/progress", progress_page, methods=["GET", "POST"], name="progress")]
