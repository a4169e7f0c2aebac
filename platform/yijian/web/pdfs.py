"""Documents and stored files as responses, for the citizen's and the window's pages alike.

The caller has authorized the case or file. PDFs (the receipt, the notices) render in a worker
thread (weasyprint takes about a second) with the app's templates (a county theme may override
them), and answer 503 naming the missing package when no CJK font is installed rather than
failing with 500. A stored file goes out with its sniffed type, never the uploaded one.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import quote

import jinja2
from starlette.requests import Request
from starlette.responses import Response

from yijian.apply.issued import issue_notice
from yijian.apply.notices import notice_inputs
from yijian.documents import INSTALL_HINT, MissingFontError
from yijian.documents.notice import render_notice
from yijian.store import Case
from yijian.web.offload import run, services_of

DEFAULT_SITE = "一件 · 县政务服务"


def site_name(request: Request) -> str:
    settings = getattr(request.app.state, "settings", None)
    return getattr(settings, "site_name", None) or DEFAULT_SITE


def jinja_env(request: Request) -> jinja2.Environment | None:
    """The app's environment for this request (theme layers), whichever shape it exposes:
    ``env`` as an attribute (Starlette's Jinja2Templates) or as ``env(request)`` (ours)."""
    env: Any = getattr(request.app.state.templates, "env", None)
    if callable(env) and not isinstance(env, jinja2.Environment):
        env = env(request)
    return env if isinstance(env, jinja2.Environment) else None


async def pdf_response(
    request: Request,
    case_no: str,
    render: Callable[[], bytes],
    filename: str,
    context: dict[str, Any] | None = None,
) -> Response:
    """``render()`` in a worker thread as an inline PDF, or the page naming the font to
    install (503); ``context``: more for that page (the signed-in user)."""
    try:
        pdf = await run(request, render)
    except MissingFontError:
        ctx = {**(context or {}), "case_no": case_no, "hint": INSTALL_HINT}
        # TemplateResponse: the call both our Templates and Starlette's Jinja2Templates take
        return request.app.state.templates.TemplateResponse(
            request, "case/receipt_unavailable.html", ctx, status_code=503
        )
    return Response(
        pdf,
        media_type="application/pdf",
        headers={
            "Content-Disposition": f'inline; filename="{filename}"',
            "Cache-Control": "private, no-store",
        },
    )


def file_response(ref: Any, data: bytes) -> Response:
    """A stored file, as a download with the type sniffed from its bytes (never the uploaded
    one). Why an attachment, never inline: an uploaded file is someone else's content; opened
    inside the site's origin a crafted PDF or image could act as the site (issue 13)."""
    name = quote(str(getattr(ref, "name", "") or "file"), safe="")
    ext = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}.get(ref.mime, "bin")
    return Response(
        data,
        media_type=ref.mime,
        headers={
            "Content-Disposition": f"attachment; filename=upload.{ext}; filename*=UTF-8''{name}",
            "X-Content-Type-Options": "nosniff",
            "Cache-Control": "private, no-store",
        },
    )


async def notice_response(request: Request, case: Case) -> Response:
    raw = str(request.path_params.get("seq", ""))
    seq = int(raw) if raw.isdigit() and len(raw) < 9 else -1
    inputs = await run(request, notice_inputs, services_of(request), case, seq, site_name(request))
    env = jinja_env(request)
    filename = f"notice-{case.case_no}-{seq}.pdf"
    services = services_of(request)
    verify = str(request.base_url).rstrip("/") + "/verify"

    def issued() -> bytes:  # rendered, sealed and kept once; the same bytes afterwards
        return issue_notice(services, inputs, seq, verify, lambda i: render_notice(i, env))

    return await pdf_response(request, case.case_no, issued, filename)


async def result_response(request: Request, case: Case) -> Response:
    """The result document (证照/批文) of the approval event in the path, issued once."""
    from starlette.exceptions import HTTPException

    from yijian.apply.issued import issue_result
    from yijian.documents.result import render_result

    raw = str(request.path_params.get("seq", ""))
    seq = int(raw) if raw.isdigit() and len(raw) < 9 else -1
    env = jinja_env(request)
    services = services_of(request)
    verify = str(request.base_url).rstrip("/") + "/verify"

    def issued() -> bytes:
        pdf = issue_result(services, case, seq, verify, lambda i: render_result(i, env))
        if pdf is None:
            raise HTTPException(404)
        return pdf

    return await pdf_response(request, case.case_no, issued, f"result-{case.case_no}-{seq}.pdf")
