"""补正: the applicant answers the window's correction notice (``apply.correction``).

GET shows only what the notice flagged: the flagged answers with the form's own field
templates (no live change: the case is not a draft) and an upload control per flagged
material. POST parses with the form's parser, judges with the form's evaluation, stores the
files, and appends the ``corrected`` event; errors come back inline with what was typed.
Authorization is the case page's: the owner, or the browser that filled an anonymous case.
"""

from __future__ import annotations

from typing import Any

from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from yijian.apply.correction import Notice, judge, open_notice, resubmit
from yijian.office.window import settling
from yijian.runtime.evaluate import copy_answers
from yijian.web.citizen.cases import owned_case
from yijian.web.citizen.pages import summary_items
from yijian.web.citizen.uploads import store_upload
from yijian.web.failures import limited
from yijian.web.failures import max_body as _max_body
from yijian.web.fieldview import ViewBuilder
from yijian.web.formstate import apply_post
from yijian.web.offload import run, services_of
from yijian.web.redirects import see_other

INPUT = "material-"


async def correct_get(request: Request) -> Response:
    return await run(request, _get, request)


def _get(request: Request) -> Response:
    _, case = owned_case(request)
    notice = open_notice(services_of(request), case)
    return _render(request, notice, notice.answers, {}, {})


async def correct_post(request: Request) -> Response:
    async with limited(request, _max_body(request)).form(max_files=20, max_fields=500) as form:
        return await run(request, _post, request, form)


def _post(request: Request, form: Any) -> Response:
    user, case = owned_case(request)
    services = services_of(request)
    notice = open_notice(services, case)
    answers = copy_answers(notice.answers)
    keys = {f.key for f in notice.fields if f.key}
    apply_post(notice.fields, form, answers, request.app.state.regions, only=keys)
    _, errors = judge(services, notice, answers)
    files, file_errors = _uploads(request, form, notice, user)
    if errors or file_errors:
        return _render(request, notice, answers, errors, file_errors)
    actor = f"citizen:{user.id}" if user else "applicant"
    also = None
    if any(e.kind in ("accepted", "tolerant_accepted") for e in notice.events):
        also = settling(services, case, lambda conn, event: None)  # tasks resume
    done = resubmit(services, notice, answers, files, actor, also)
    # a string: the notice closed meanwhile (a second tab, a double click); the case page says
    # where the case stands either way
    del done
    return see_other(f"/cases/{case.case_no}")


def _uploads(
    request: Request, form: Any, notice: Notice, user: Any
) -> tuple[dict[str, str], dict[str, str]]:
    """Each flagged material's new file (its id), or why it is missing or refused."""
    store = request.app.state.store
    materials = {ms.material.id: ms.material for ms in notice.matter.materials}
    files, errors = {}, {}
    for item in notice.materials:
        mid = item["id"]
        upload = form.get(INPUT + mid)
        if not isinstance(upload, UploadFile) or not upload.filename:
            errors[mid] = f"请重新上传{item['label']}"
            continue
        owner = user.id if user else None
        ref = store_upload(
            store, upload, materials.get(mid), item["label"], owner, notice.case.draft_id, mid
        )
        if isinstance(ref, str):
            errors[mid] = ref
        else:
            files[mid] = ref.id
    return files, errors


def _render(
    request: Request,
    notice: Notice,
    answers: dict[str, Any],
    errors: dict[str, str],
    file_errors: dict[str, str],
) -> Response:
    m = notice.matter
    keys = {f.key for f in notice.fields}
    b = ViewBuilder(m, "", "", answers, keys, set(), errors, request.app.state.regions)
    views = []
    for f in notice.fields:
        fv = b.view(f)
        fv.hx = {}  # the case is no draft: nothing to post on change
        views.append(fv)
    summary = summary_items(None, views, errors)
    summary += [{"href": f"#{INPUT}{k}", "text": v} for k, v in file_errors.items()]
    materials = [{**item, "error": file_errors.get(item["id"])} for item in notice.materials]
    context = {
        "case_no": notice.case.case_no,
        "matter_name": m.name,
        "due": notice.due,
        "views": views,
        "reasons": notice.reasons,
        "materials": materials,
        "errors": summary,
    }
    return request.app.state.templates.render(
        request, "case/correct.html", context, headers={"cache-control": "no-store"}
    )


def correction_routes() -> list[Route]:
    return [
        Route("/cases/{case_no}/correct", correct_get, methods=["GET"], name="correct"),
        Route("/cases/{case_no}/correct", correct_post, methods=["POST"]),
    ]
