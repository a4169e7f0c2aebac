"""补交容缺材料: the applicant uploads what 容缺受理 left for later (``apply.supply``).

One upload control per outstanding material, the same upload limits as the form's; each file
stored becomes a ``supplied`` event. Authorization is the case page's (``cases.owned_case``).
"""

from __future__ import annotations

from typing import Any

from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from yijian.apply.cases import pinned_matter
from yijian.apply.errors import NotFound
from yijian.apply.supply import supply
from yijian.casework.timeline import outstanding
from yijian.web.citizen.cases import owned_case
from yijian.web.citizen.uploads import store_upload
from yijian.web.failures import limited
from yijian.web.failures import max_body as _max_body
from yijian.web.offload import run, services_of
from yijian.web.redirects import see_other

INPUT = "material-"


async def supply_get(request: Request) -> Response:
    return await run(request, _get, request, {})


def _get(request: Request, errors: dict[str, str]) -> Response:
    _, case = owned_case(request)
    left, due = outstanding(services_of(request).store.cases.events(case.case_no))
    if not left:
        raise NotFound()
    items = [{**m, "error": errors.get(m["id"])} for m in left]
    summary = [{"href": f"#{INPUT}{k}", "text": v} for k, v in errors.items()]
    context = {"case_no": case.case_no, "items": items, "due": due, "errors": summary}
    return request.app.state.templates.render(
        request, "case/supply.html", context, headers={"cache-control": "no-store"}
    )


async def supply_post(request: Request) -> Response:
    async with limited(request, _max_body(request)).form(max_files=20, max_fields=50) as form:
        return await run(request, _post, request, form)


def _post(request: Request, form: Any) -> Response:
    user, case = owned_case(request)
    services = services_of(request)
    left, _ = outstanding(services.store.cases.events(case.case_no))
    matter = pinned_matter(services, case.matter_id, case.version)
    materials = {ms.material.id: ms.material for ms in matter.materials} if matter else {}
    errors: dict[str, str] = {}
    chosen = 0
    for m in left:
        upload = form.get(INPUT + m["id"])
        if not isinstance(upload, UploadFile) or not upload.filename:
            continue
        chosen += 1
        owner = user.id if user else None
        ref = store_upload(
            services.store,
            upload,
            materials.get(m["id"]),
            m["label"],
            owner,
            case.draft_id,
            m["id"],
        )
        if isinstance(ref, str):
            errors[m["id"]] = ref
            continue
        actor = f"citizen:{user.id}" if user else "applicant"
        supply(services, case, m["id"], m["label"], ref.id, actor)
    if not chosen and left:
        errors[left[0]["id"]] = "请选择要补交的材料文件"
    if errors:
        return _get(request, errors)
    return see_other(f"/cases/{case.case_no}")


def supply_routes() -> list[Route]:
    return [
        Route("/cases/{case_no}/supply", supply_get, methods=["GET"], name="supply"),
        Route("/cases/{case_no}/supply", supply_post, methods=["POST"]),
    ]
