"""The browser's keys to its anonymous drafts (``yj_drafts``): id and secret, HttpOnly.

An anonymous draft opens only from the browser whose HttpOnly cookie holds the draft's
*secret* beside its id (``<id>~<secret>``, dot-separated, newest last). The id alone grants
nothing: it is in every URL of the form and may reach a log, a screenshot or a Referer. The
secret is never in a URL: it is made by ``remember`` (the store keeps its sha256) when a draft
starts, when a resume link is redeemed (rotated: earlier holders are shut out) and when the
window's 帮办代办 starts a draft in the clerk's browser.

``remembered`` reads the cookie without touching the store; the ids are checked against the
store's secrets only when asked (``in``, iteration), which callers do in a worker thread.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from yijian.web.security import is_https

DRAFT_COOKIE = "yj_drafts"
MAX_REMEMBERED = 20
_SEP = "~"


def _token_ok(text: str, low: int, high: int) -> bool:
    return low <= len(text) <= high and text.replace("-", "").replace("_", "").isalnum()


def _pairs(request: Request) -> dict[str, str]:
    """{draft id: secret} from the cookie, malformed entries (and bare ids) left out."""
    out: dict[str, str] = {}
    for entry in request.cookies.get(DRAFT_COOKIE, "").split("."):
        draft_id, _, secret = entry.partition(_SEP)
        if _token_ok(draft_id, 10, 64) and _token_ok(secret, 20, 64):
            out.pop(draft_id, None)
            out[draft_id] = secret
    return dict(list(out.items())[-MAX_REMEMBERED:])


class Remembered(Collection[str]):
    """The draft ids this browser holds the current secret of (checked lazily, once)."""

    def __init__(self, store: Any, pairs: dict[str, str]):
        self._store = store
        self._pairs = pairs
        self._held: set[str] | None = None

    def _check(self) -> set[str]:
        if self._held is None:
            self._held = self._store.drafts.holding(self._pairs) if self._pairs else set()
        return self._held

    def __contains__(self, draft_id: object) -> bool:
        return draft_id in self._pairs and draft_id in self._check()

    def __iter__(self) -> Iterator[str]:
        held = self._check()
        return iter([d for d in self._pairs if d in held])

    def __len__(self) -> int:
        return len(self._check())


def remembered(request: Request) -> Remembered:
    """This browser's anonymous drafts; reads the store only when used (in a worker)."""
    return Remembered(request.app.state.store, _pairs(request))


def remember(request: Request, response: Response, draft_id: str) -> None:
    """Give this browser a new secret for the draft (rotating it) in its HttpOnly cookie.

    Writes the secret's hash to the store: callers run it in a worker thread where they can.
    """
    secret = request.app.state.store.drafts.bind_secret(draft_id)
    pairs = {k: v for k, v in _pairs(request).items() if k != draft_id}
    pairs[draft_id] = secret
    entries = [f"{k}{_SEP}{v}" for k, v in pairs.items()][-MAX_REMEMBERED:]
    response.set_cookie(
        DRAFT_COOKIE,
        ".".join(entries),
        max_age=30 * 86400,
        path="/",
        httponly=True,
        samesite="lax",
        secure=is_https(request.scope),
    )
