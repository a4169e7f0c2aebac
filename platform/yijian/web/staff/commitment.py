"""The 告知承诺 核查 page: what the applicant committed to, when the check is due, and the form
that records what the check found (``office.commitment``).

Thin: parse, call in a worker thread, render. ``/staff/checks/<case no>`` takes the case whose
chain holds the decision (a single matter's case, or a bundle member's sub-case); the
department task that ``casework.commitment.check_due`` opens links here. A case outside the
member's scope is 404; a check the state does not allow comes back with the reason (400) and
changes nothing.
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from yijian.casework import kinds
from yijian.casework.commitment import check_due, decision_of, refusal
from yijian.office.commitment import CheckError, open_check, record_check
from yijian.web.offload import run, services_of
from yijian.web.redirects import see_other
from yijian.web.staffauth import require

__all__ = ["commitment_routes"]


async def check_page(request: Request) -> Response:
    return await run(request, _page, request, None)


def _page(request: Request, error: str | None, status: int = 200) -> Response:
    services = services_of(request)
    seen = open_check(services, require(request), request.path_params["case_no"])
    snapshot = services.registry.current if services.registry else None
    try:
        due = check_due(seen.events, seen.case.summary, snapshot.calendar if snapshot else None)
    except LookupError:  # the opening day is in a year without a calendar yet
        due = None
    checked = [e for e in seen.events if e.kind == kinds.COMMITMENT_CHECKED]
    decision = decision_of(seen.events)
    context: dict[str, Any] = {
        "case": seen.case,
        "name": seen.case.summary.get("matter_name") or seen.case.matter_id,
        "commitments": seen.case.summary.get("commitments") or [],
        "decision": decision,
        "due": due,
        "checked": checked[-1] if checked else None,
        "revoked": any(e.kind == kinds.REVOKED for e in seen.events),
        "open": seen.may_act and refusal(seen.events) is None,
        "error": error,
        "title": "告知承诺核查",
    }
    return request.app.state.templates.render(
        request, "staff/check.html", context, status_code=status,
        headers={"cache-control": "no-store"},
    )  # fmt: skip


async def check_post(request: Request) -> Response:
    async with request.form(max_files=0, max_fields=10) as form:
        found = str(form.get("found") or "")
        opinion = str(form.get("opinion") or "")[:2000]
    return await run(request, _post, request, found, opinion)


def _post(request: Request, found: str, opinion: str) -> Response:
    member = require(request)
    case_no = request.path_params["case_no"]
    if found not in ("true", "false"):
        open_check(services_of(request), member, case_no)  # 404 before saying anything
        return _page(request, "请选择核查结论：承诺属实或承诺不实", 400)
    try:
        record_check(services_of(request), member, case_no, found == "true", opinion)
    except CheckError as exc:
        return _page(request, str(exc), 400)
    return see_other(f"/staff/checks/{case_no}")


def commitment_routes() -> list[Route]:
    return [
        Route("/staff/checks/{case_no}", check_page, methods=["GET"], name="staff_check"),
        Route("/staff/checks/{case_no}", check_post, methods=["POST"]),
    ]
