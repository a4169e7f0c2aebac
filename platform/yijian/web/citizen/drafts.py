"""Who may open a draft, the browser's list of its drafts, version pinning, save-and-resume.

A signed-in citizen's draft is owned; an anonymous draft is reachable only from the browser
whose HttpOnly ``yj_drafts`` cookie lists its random id. Anything else is a 404, the same
answer as for a draft that does not exist, so a guessed or leaked id reveals nothing.
A draft pins the definition version it started on; when that version is gone (a restart)
the draft moves to the current one and the citizen reads a plain statement of what changed.
A resume link is single-use and expires (the store keeps only its hash).
"""

from __future__ import annotations

import logging
from typing import Any

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from yijian.apply import drafts
from yijian.web.auth import current_user
from yijian.web.draftcookie import DRAFT_COOKIE, MAX_REMEMBERED, remember, remembered
from yijian.web.offload import run, services_of

log = logging.getLogger("yijian.web")
__all__ = ["DRAFT_COOKIE", "MAX_REMEMBERED", "open_draft", "remember", "remembered"]


def open_draft(request: Request, draft_id: str) -> tuple[Any, Any]:
    """(draft, user) when this citizen may open it (``apply.drafts.may_open``); sync: call it
    from a worker thread."""
    user = current_user(request)
    draft = drafts.may_open(services_of(request), draft_id, user, remembered(request))
    return draft, user


async def save_later(request: Request) -> Response:
    """保存并稍后继续: sign in to resume anywhere, or a single-use link (POST makes one)."""
    return await run(request, _save_later, request)


def _save_later(request: Request) -> Response:
    draft, user = open_draft(request, request.path_params["draft_id"])
    m, draft = drafts.pinned(services_of(request), draft)
    link = None
    if request.method == "POST" and user is None:
        token = request.app.state.store.drafts.resume_token(
            draft.id, ttl_hours=request.app.state.settings.resume_ttl_hours
        )
        link = str(request.url_for("resume", token=token))
    return request.app.state.templates.render(
        request,
        "form/save.html",
        {
            "m": m,
            "draft": draft,
            "user": user,
            "link": link,
            "hours": request.app.state.settings.resume_ttl_hours,
            "next": f"/drafts/{draft.id}/save",
        },
        headers={"cache-control": "no-store"},
    )


async def resume(request: Request) -> Response:
    return await run(request, _resume, request)


def _resume(request: Request) -> Response:
    store = request.app.state.store
    draft_id = store.drafts.redeem(request.path_params["token"])
    draft = store.drafts.get(draft_id) if draft_id else None
    if draft is None:
        return request.app.state.templates.render(
            request, "form/resume_invalid.html", {}, status_code=410
        )
    user = current_user(request)
    if draft.owner_id is not None and (user is None or user.id != draft.owner_id):
        return request.app.state.templates.render(
            request, "form/resume_invalid.html", {"owned": True}, status_code=403
        )
    response = RedirectResponse(f"/drafts/{draft.id}", status_code=303)
    remember(request, response, draft.id)
    response.headers["cache-control"] = "no-store"
    return response
