"""Who may open a draft, the browser's list of its drafts, version pinning, save-and-resume.

A signed-in citizen's draft is owned; an anonymous draft is reachable only from the browser
whose HttpOnly ``yj_drafts`` cookie lists its random id. Anything else is a 404, the same
answer as for a draft that does not exist, so a guessed or leaked id reveals nothing.
A draft pins the definition version it started on; when that version is gone (a restart)
the draft moves to the current one and the citizen reads a plain statement of what changed.
A resume link is single-use and expires (the store keeps only its hash).
"""

from __future__ import annotations

import inspect
import logging
from typing import Any

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from yijian.compiled.matter import CompiledMatter

log = logging.getLogger("yijian.web")

DRAFT_COOKIE = "yj_drafts"
MAX_REMEMBERED = 20
META = "_meta"  # reserved top-level answer key: field labels of the pinned version, notices


async def current_user(request: Request) -> Any:
    """The signed-in user, or None (also while the accounts module is not installed)."""
    try:
        from yijian.web.auth import current_user as lookup
    except ImportError:
        return None
    user = lookup(request)
    return await user if inspect.isawaitable(user) else user


def remembered(request: Request) -> list[str]:
    raw = request.cookies.get(DRAFT_COOKIE, "")
    return [
        x
        for x in raw.split(".")
        if 10 <= len(x) <= 64 and x.replace("-", "").replace("_", "").isalnum()
    ][-MAX_REMEMBERED:]


def remember(request: Request, response: Response, draft_id: str) -> None:
    """Add the draft id to this browser's HttpOnly list (dot-separated, newest last)."""
    ids = [x for x in remembered(request) if x != draft_id] + [draft_id]
    response.set_cookie(
        DRAFT_COOKIE,
        ".".join(ids[-MAX_REMEMBERED:]),
        max_age=30 * 86400,
        httponly=True,
        samesite="lax",
        secure=request.url.scheme == "https",
    )


def field_labels(m: CompiledMatter) -> dict[str, str]:
    return {k: f.label for k, f in m.fields.items() if k}


async def open_draft(request: Request, draft_id: str) -> tuple[Any, Any]:
    """(draft, user) when this citizen may open it; 404 otherwise (existence is not revealed)."""
    store = request.app.state.store
    draft = store.drafts.get(draft_id) if len(draft_id) <= 64 else None
    if draft is None:
        raise HTTPException(404)
    user = await current_user(request)
    if draft.owner_id is not None:
        if user is None or user.id != draft.owner_id:
            raise HTTPException(404)
    elif draft_id not in remembered(request):
        raise HTTPException(404)
    elif user is not None:
        store.drafts.claim(draft_id, user.id)  # signed in on this browser: keep it everywhere
        draft = store.drafts.get(draft_id)
    return draft, user


def pinned(request: Request, draft: Any) -> tuple[CompiledMatter, Any]:
    """The matter exactly as the draft started it, or the current one with a change notice."""
    registry = request.app.state.registry
    m = registry.version(draft.matter_id, draft.version)
    if m is not None:
        return m, draft
    current = registry.current.matter(draft.matter_id) if registry.current else None
    if current is None:
        raise HTTPException(410, "该事项已停止网上办理")
    answers = dict(draft.answers)
    meta = dict(answers.get(META) or {})
    old = meta.get("labels") or {}
    new = field_labels(current)
    meta["moved"] = {
        "added": [new[k] for k in new if k not in old],
        "removed": [old[k] for k in old if k not in new],
        "changed": [f"“{old[k]}”改为“{new[k]}”" for k in new if k in old and old[k] != new[k]],
    }
    meta["labels"] = new
    answers[META] = meta
    request.app.state.store.drafts.save(draft.id, answers, draft.page, version=current.version)
    log.info("draft moved to the current version of %s", draft.matter_id)
    return current, request.app.state.store.drafts.get(draft.id)


def take_notice(request: Request, draft: Any) -> dict[str, list[str]] | None:
    """The change statement, shown once, then cleared."""
    meta = draft.answers.get(META) or {}
    moved = meta.get("moved")
    if not moved:
        return None
    answers = dict(draft.answers)
    answers[META] = {k: v for k, v in meta.items() if k != "moved"}
    request.app.state.store.drafts.save(draft.id, answers, draft.page)
    return moved


async def save_later(request: Request) -> Response:
    """保存并稍后继续: sign in to resume anywhere, or a single-use link (POST makes one)."""
    draft, user = await open_draft(request, request.path_params["draft_id"])
    m, draft = pinned(request, draft)
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
    store = request.app.state.store
    draft_id = store.drafts.redeem(request.path_params["token"])
    draft = store.drafts.get(draft_id) if draft_id else None
    if draft is None:
        return request.app.state.templates.render(
            request, "form/resume_invalid.html", {}, status_code=410
        )
    user = await current_user(request)
    if draft.owner_id is not None and (user is None or user.id != draft.owner_id):
        return request.app.state.templates.render(
            request, "form/resume_invalid.html", {"owned": True}, status_code=403
        )
    response = RedirectResponse(f"/drafts/{draft.id}", status_code=303)
    remember(request, response, draft.id)
    response.headers["cache-control"] = "no-store"
    return response
