"""``/licences``: 我的证照, the signed-in citizen's e-licences from the library.

Only the account's own licences (those its cases were granted); each links to its public
verification page (status: 有效, 已撤销, 已过有效期).
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from yijian.apply.verification import STATUS_WORDS, licence_status
from yijian.web.auth import current_user
from yijian.web.offload import run, services_of


async def my_licences(request: Request) -> Response:
    return await run(request, _my_licences, request)


def _my_licences(request: Request) -> Response:
    user = current_user(request)
    if user is None:
        return RedirectResponse("/signin?next=/licences", status_code=303)
    services = services_of(request)
    rows = []
    for lic in services.store.licences.of_owner(user.id):
        status = licence_status(services, lic.case_no, lic.valid_until)
        rows.append({"licence": lic, "status": status, "status_text": STATUS_WORDS[status]})
    ctx = {"user": user, "licences": rows, "title": "我的证照"}
    return request.app.state.templates.render(
        request, "account/licences.html", ctx, headers={"cache-control": "no-store"}
    )


def licence_routes() -> list[Route]:
    return [Route("/licences", my_licences, methods=["GET"], name="my_licences")]
