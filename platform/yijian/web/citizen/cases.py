"""我的办件, the case page with its receipt, the receipt PDF, and uploaded files.

Authorization is one rule applied everywhere: the signed-in user must own the thing. Anything
else — another account, nobody signed in, an unknown id — gets the same 404, so a guessed case
number reveals nothing (not even that it exists). The receipt PDF is rendered in a worker
thread; without a CJK font the page says which package to install instead of failing with 500.
"""

from __future__ import annotations

from typing import Any

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from yijian.apply import cases
from yijian.compiled.matter import CompiledMatter
from yijian.documents import render_receipt
from yijian.documents.receipt_inputs import receipt_inputs
from yijian.rules.builtins.cnid import mask_phone
from yijian.store import Case, Store, User
from yijian.web.auth import current_user
from yijian.web.offload import run, services_of
from yijian.web.pdfs import (
    file_response,
    jinja_env,
    notice_response,
    pdf_response,
    result_response,
    site_name,
)

__all__ = ["case_routes", "owned_case", "receipt_response", "render_case_page"]


def _store(request: Request) -> Store:
    return request.app.state.store


def _matter(request: Request, matter_id: str, version: str) -> CompiledMatter | None:
    return cases.pinned_matter(services_of(request), matter_id, version)


def owned_case(request: Request) -> tuple[User | None, Case]:
    """The case in the path if this citizen may see it; 404 otherwise (never 403).

    A signed-in owner may; so may the browser that filled an anonymous case, which holds the
    draft's random id in its HttpOnly cookie (the same capability that opened the draft). The
    case number itself grants nothing: it is sequential, so it is guessable."""
    from yijian.web.citizen.drafts import remembered

    user = current_user(request)
    case = _store(request).cases.get(request.path_params["case_no"])
    if case is None:
        raise HTTPException(404)
    if user is not None and case.owner_id == user.id:
        return user, case
    if case.owner_id is None and case.draft_id in remembered(request):
        return user, case
    raise HTTPException(404)


def _case_view(request: Request, case: Case, names: dict[str, str] | None = None) -> dict[str, Any]:
    return cases.case_view(services_of(request), case, names)


async def my_cases(request: Request) -> Response:
    return await run(request, _my_cases, request)


def _my_cases(request: Request) -> Response:
    user = current_user(request)
    if user is None:
        return RedirectResponse("/signin?next=/my", status_code=303)
    store = _store(request)
    drafts = []
    for draft in store.drafts.for_owner(user.id):
        if draft.status != "open":
            continue
        matter = _matter(request, draft.matter_id, draft.version)
        page = draft.page or (matter.pages[0].id if matter and matter.pages else None)
        drafts.append(
            {
                "id": draft.id,
                "name": matter.name if matter else draft.matter_id,
                "updated": draft.updated_at[:16].replace("T", " "),
                "href": f"/drafts/{draft.id}/{page}" if page else f"/drafts/{draft.id}",
            }
        )
    cases = [_case_view(request, case) for case in store.cases.for_owner(user.id)]
    ctx = {"user": user, "phone": mask_phone(user.phone), "drafts": drafts, "cases": cases}
    return request.app.state.templates.TemplateResponse(request, "case/my.html", ctx)


def render_case_page(
    request: Request, case: Case, user: User | None = None, rating_error: str | None = None
) -> Response:
    """The case page for an already authorized case (the form runtime reuses it after submit)."""
    ctx = {"user": user, "case": _case_view(request, case), "receipt_site": site_name(request),
           "rating_error": rating_error}  # fmt: skip
    status = 400 if rating_error else 200
    return request.app.state.templates.TemplateResponse(
        request, "case/show.html", ctx, status_code=status
    )


async def show_case(request: Request) -> Response:
    return await run(request, _show_case, request)


def _show_case(request: Request) -> Response:
    user, case = owned_case(request)
    return render_case_page(request, case, user)


async def receipt_response(request: Request, case: Case, user: User | None = None) -> Response:
    """The receipt PDF of an already authorized case, or a 503 page naming the missing font."""
    store = _store(request)
    matter = _matter(request, case.matter_id, case.version)
    registry = getattr(request.app.state, "registry", None)
    snapshot = registry.current if registry is not None else None
    files = await run(request, store.files.for_draft, case.draft_id)
    inputs = receipt_inputs(
        case,
        matter,
        files,
        snapshot.calendar if snapshot is not None else None,
        site_name=site_name(request),
        applicant_name=user.name if user else None,
    )
    inputs["env"] = jinja_env(request)
    filename = f"receipt-{case.case_no}.pdf"
    return await pdf_response(
        request, case.case_no, lambda: render_receipt(**inputs), filename, {"user": user}
    )


async def receipt_pdf(request: Request) -> Response:
    user, case = await run(request, owned_case, request)
    return await receipt_response(request, case, user)


async def notice_pdf(request: Request) -> Response:
    _, case = await run(request, owned_case, request)
    return await notice_response(request, case)


async def result_pdf(request: Request) -> Response:
    """The case's result document (证照/批文), to its applicant."""
    _, case = await run(request, owned_case, request)
    return await result_response(request, case)


async def serve_file(request: Request) -> Response:
    """An uploaded file, to the owner of the file or of its draft only."""
    ref = await run(request, _owned_file, request)
    data = await run(request, _store(request).files.open, ref.sha256)
    return file_response(ref, data)


def _owned_file(request: Request) -> Any:
    user = current_user(request)
    store = _store(request)
    ref = store.files.get(request.path_params["file_id"])
    if user is None or ref is None:
        raise HTTPException(404)
    if ref.owner_id != user.id:
        draft = store.drafts.get(ref.draft_id)
        if draft is None or draft.owner_id != user.id:
            raise HTTPException(404)
    return ref


def case_routes() -> list[Route]:
    return [
        Route("/my", my_cases, methods=["GET"], name="my_cases"),
        Route("/cases/{case_no}", show_case, methods=["GET"], name="case"),
        Route("/cases/{case_no}/receipt.pdf", receipt_pdf, methods=["GET"], name="receipt_pdf"),
        Route("/cases/{case_no}/notices/{seq}.pdf", notice_pdf, methods=["GET"], name="notice"),
        Route("/cases/{case_no}/results/{seq}.pdf", result_pdf, methods=["GET"], name="result"),
        Route("/files/{file_id}", serve_file, methods=["GET"], name="file"),
    ]
