"""The browser's list of its anonymous drafts (``yj_drafts``): the capability to open them.

An anonymous draft is reachable only from the browser whose HttpOnly cookie lists its random
id. The citizen's form sets it when a draft starts; the window's 帮办代办 sets it in the
clerk's browser, which then fills the citizen's own pages.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

DRAFT_COOKIE = "yj_drafts"
MAX_REMEMBERED = 20


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
