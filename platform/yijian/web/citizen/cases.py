"""我的办件, the case page with its receipt, the receipt PDF, and uploaded files.

Authorization is one rule applied everywhere: the signed-in user must own the thing. Anything
else — another account, nobody signed in, an unknown id — gets the same 404, so a guessed case
number reveals nothing (not even that it exists). The receipt PDF is rendered in a worker
thread; without a CJK font the page says which package to install instead of failing with 500.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import anyio.to_thread
import jinja2
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from yijian.compiled.matter import CompiledMatter
from yijian.documents import INSTALL_HINT, MissingFontError, render_receipt
from yijian.documents.receipt_inputs import receipt_inputs
from yijian.rules.builtins.cnid import mask_phone
from yijian.store import Case, Store, User
from yijian.web.auth import current_user

__all__ = ["STATUS_TEXT", "case_routes", "receipt_response", "render_case_page"]

# Case states as the citizen reads them (the workflow adds states; unknown ones print as-is).
STATUS_TEXT = {
    "submitted": ("已提交", "blue"),
    "accepted": ("已受理", "blue"),
    "correction": ("待补正", "yellow"),
    "refused": ("不予受理", "red"),
    "approved": ("已办结", "green"),
    "denied": ("不予许可", "red"),
    "withdrawn": ("已撤回", "grey"),
}
_DEFAULT_SITE = "一件 · 县政务服务"


def _store(request: Request) -> Store:
    return request.app.state.store


def _matter(request: Request, matter_id: str, version: str) -> CompiledMatter | None:
    """The definition a draft or case is pinned to, else the current one, else None."""
    registry = getattr(request.app.state, "registry", None)
    if registry is None:
        return None
    pinned = registry.version(matter_id, version)
    if pinned is not None:
        return pinned
    snapshot = registry.current
    return snapshot.matter(matter_id) if snapshot is not None else None


def _members(matter: CompiledMatter | None) -> dict[str, str]:
    return {m.id: m.name for m in matter.members} if matter else {}


def _site_name(request: Request) -> str:
    settings = getattr(request.app.state, "settings", None)
    return getattr(settings, "site_name", None) or _DEFAULT_SITE


def _jinja_env(templates: Any, request: Request) -> jinja2.Environment | None:
    """The app's environment for this request (theme layers), whichever shape it exposes:
    ``env`` as an attribute (Starlette's Jinja2Templates) or as ``env(request)`` (ours)."""
    env = getattr(templates, "env", None)
    if callable(env) and not isinstance(env, jinja2.Environment):
        env = env(request)
    return env if isinstance(env, jinja2.Environment) else None


def _owned_case(request: Request) -> tuple[User | None, Case]:
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


def _status(case: Case) -> dict[str, str]:
    text, colour = STATUS_TEXT.get(case.status, (case.status, "grey"))
    return {"text": text, "colour": colour}


def _department(case: Case, matter: CompiledMatter | None) -> str | None:
    """The department answering for the case: as the summary stored it at submission (a
    bundle's 牵头部门, a matter's 实施主体), else the pinned definition's, else the departments
    of the summary's steps (cases submitted before the summary said so)."""
    stored = case.summary.get("department")
    if isinstance(stored, str) and stored:
        return stored
    d: Any = getattr(matter, "definition", None)  # optional, as on the receipt
    if d is not None:
        name = getattr(d, "lead_department", None) or getattr(
            getattr(d, "department", None), "name", None
        )
        if isinstance(name, str) and name:
            return name
    steps = case.summary.get("steps")
    names = [
        str(x["department"])
        for x in (steps if isinstance(steps, list) else [])
        if isinstance(x, dict) and x.get("department")
    ]
    return "、".join(dict.fromkeys(names)) or None


def _day(iso: Any) -> str | None:
    try:
        d = date.fromisoformat(str(iso))
    except ValueError:
        return None
    return f"{d.year} 年 {d.month} 月 {d.day} 日"


def _promise(summary: dict[str, Any]) -> str | None:
    """承诺办结 as the citizen reads it: the promised limit and, where the calendar gave one,
    the date it falls on (the summary's ``deadline``, computed at submission)."""
    days = summary.get("promised_days")
    if not isinstance(days, int) or isinstance(days, bool) or days < 0:
        return None
    if days == 0:
        return "当场办结"
    unit = "个工作日" if summary.get("promised_workdays", True) else "个自然日"
    due = _day(summary.get("deadline"))
    return f"{days} {unit}" + (f"，{due}前" if due else "")


def _case_view(request: Request, case: Case, names: dict[str, str] | None = None) -> dict[str, Any]:
    """What the templates show of a case; sub-matters are named by their bundle's members.

    Each case, sub-cases included, says which department handles it and by when (from its
    own summary): a bundle's sub-cases run in different departments on their own clocks.
    """
    matter = _matter(request, case.matter_id, case.version)
    if names is None and matter is None and case.parent_case_no:
        parent = _store(request).cases.get(case.parent_case_no)
        if parent is not None:
            names = _members(_matter(request, parent.matter_id, parent.version))
    name = (names or {}).get(case.matter_id) or (
        matter.name if matter else str(case.summary.get("matter_name") or case.matter_id)
    )
    members = _members(matter)
    return {
        "case_no": case.case_no,
        "name": name,
        "submitted": case.submitted_at[:16].replace("T", " "),
        "status": _status(case),
        "bundle": bool(case.children) or case.summary.get("kind") == "bundle",
        "department": _department(case, matter),
        "promise": _promise(case.summary),
        "children": [_case_view(request, child, members) for child in case.children],
    }


async def my_cases(request: Request) -> Response:
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


def render_case_page(request: Request, case: Case, user: User | None = None) -> Response:
    """The case page for an already authorized case (the form runtime reuses it after submit)."""
    ctx = {"user": user, "case": _case_view(request, case), "receipt_site": _site_name(request)}
    return request.app.state.templates.TemplateResponse(request, "case/show.html", ctx)


async def show_case(request: Request) -> Response:
    user, case = _owned_case(request)
    return render_case_page(request, case, user)


async def receipt_response(request: Request, case: Case, user: User | None = None) -> Response:
    """The receipt PDF of an already authorized case, or a 503 page naming the missing font."""
    store = _store(request)
    matter = _matter(request, case.matter_id, case.version)
    registry = getattr(request.app.state, "registry", None)
    snapshot = registry.current if registry is not None else None
    inputs = receipt_inputs(
        case,
        matter,
        store.files.for_draft(case.draft_id),
        snapshot.calendar if snapshot is not None else None,
        site_name=_site_name(request),
        applicant_name=user.name if user else None,
    )
    templates = request.app.state.templates
    inputs["env"] = _jinja_env(templates, request)
    try:
        pdf = await anyio.to_thread.run_sync(lambda: render_receipt(**inputs))
    except MissingFontError:
        ctx = {"user": user, "case_no": case.case_no, "hint": INSTALL_HINT}
        return templates.TemplateResponse(
            request, "case/receipt_unavailable.html", ctx, status_code=503
        )
    return Response(
        pdf,
        media_type="application/pdf",
        headers={
            "Content-Disposition": f'inline; filename="receipt-{case.case_no}.pdf"',
            "Cache-Control": "private, no-store",
        },
    )


async def receipt_pdf(request: Request) -> Response:
    user, case = _owned_case(request)
    return await receipt_response(request, case, user)


async def serve_file(request: Request) -> Response:
    """An uploaded file, to the owner of the file or of its draft only."""
    user = current_user(request)
    store = _store(request)
    ref = store.files.get(request.path_params["file_id"])
    if user is None or ref is None:
        raise HTTPException(404)
    if ref.owner_id != user.id:
        draft = store.drafts.get(ref.draft_id)
        if draft is None or draft.owner_id != user.id:
            raise HTTPException(404)
    data = await anyio.to_thread.run_sync(store.files.open, ref.sha256)
    return Response(
        data,
        media_type=ref.mime,  # the sniffed type, never the uploaded one
        headers={
            "Content-Disposition": "inline",
            "X-Content-Type-Options": "nosniff",
            "Cache-Control": "private, no-store",
        },
    )


def case_routes() -> list[Route]:
    return [
        Route("/my", my_cases, methods=["GET"], name="my_cases"),
        Route("/cases/{case_no}", show_case, methods=["GET"], name="case"),
        Route("/cases/{case_no}/receipt.pdf", receipt_pdf, methods=["GET"], name="receipt_pdf"),
        Route("/files/{file_id}", serve_file, methods=["GET"], name="file"),
    ]
