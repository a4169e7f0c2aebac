"""Notice PDFs for the citizen's and the window's case pages (one renderer, two rooms).

The caller has authorized the case; this finds the notice event, renders it in a worker thread
(weasyprint takes about a second) with the app's templates (a county theme may override
``documents/notice.html``), and answers 503 naming the missing package when no CJK font is
installed rather than failing with 500.
"""

from __future__ import annotations

from typing import Any

import jinja2
from starlette.requests import Request
from starlette.responses import Response

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


async def notice_response(request: Request, case: Case) -> Response:
    raw = str(request.path_params.get("seq", ""))
    seq = int(raw) if raw.isdigit() and len(raw) < 9 else -1
    inputs = await run(request, notice_inputs, services_of(request), case, seq, site_name(request))
    try:
        pdf = await run(request, render_notice, inputs, jinja_env(request))
    except MissingFontError:
        ctx = {"case_no": case.case_no, "hint": INSTALL_HINT}
        return request.app.state.templates.render(
            request, "case/receipt_unavailable.html", ctx, status_code=503
        )
    return Response(
        pdf,
        media_type="application/pdf",
        headers={
            "Content-Disposition": f'inline; filename="notice-{case.case_no}-{seq}.pdf"',
            "Cache-Control": "private, no-store",
        },
    )
