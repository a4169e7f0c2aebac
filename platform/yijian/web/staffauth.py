"""Staff sign-in state: the ``yj_staff`` cookie, apart from the citizens' ``yj_session``.

The cookie holds a random session id; the store keeps its sha256, the member and the member's
``session_version`` (disabling a member or changing their password ends every session at
once). SameSite=Strict: a staff page is never the target of a link from another site that
should arrive signed in. The member is looked up in the handler's worker thread
(``require``), never on the event loop.

Staff sign-in is throttled like the citizens' (``auth.SignInGuard``, its own counters per
login and per client address); a locked member with a phone number is told by SMS.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import quote

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from yijian.office.identity import current_staff
from yijian.store.outbox import OutboxItem
from yijian.store.staff import STAFF_SESSION_HOURS, StaffMember
from yijian.store.throttle import ACCOUNT
from yijian.web.security import is_https
from yijian.web.throttling import SignInGuard

COOKIE = "yj_staff"


class SignInNeeded(Exception):
    """No signed-in staff member: the handler answers with the sign-in page's address."""

    def __init__(self, next_url: str):
        super().__init__(next_url)
        self.url = f"/staff/signin?next={quote(next_url, safe='/')}"


def member_of(request: Request) -> StaffMember | None:
    """The signed-in, enabled member (in a worker thread: it reads the store)."""
    if "yj_staff" not in request.scope:
        store = request.app.state.store
        request.scope["yj_staff"] = current_staff(store, request.cookies.get(COOKIE))
    return request.scope["yj_staff"]


def require(request: Request) -> StaffMember:
    member = member_of(request)
    if member is None:
        raise SignInNeeded(request.url.path)
    return member


def require_admin(request: Request) -> StaffMember:
    """A signed-in member with an admin grant; others get 404 (an admin page is not
    announced to those who may not use it), the signed-out the sign-in page."""
    member = require(request)
    if not any(g.role == "admin" for g in member.grants):
        raise HTTPException(404)
    return member


def set_cookie(request: Request, response: Response, session_id: str) -> None:
    response.set_cookie(
        COOKIE,
        session_id,
        max_age=STAFF_SESSION_HOURS * 3600,
        path="/",
        httponly=True,
        samesite="strict",
        secure=is_https(request.scope),
    )


def clear_cookie(request: Request, response: Response) -> None:
    response.delete_cookie(
        COOKIE, path="/", httponly=True, samesite="strict", secure=is_https(request.scope)
    )


def _tell_member(store: Any, login: str) -> None:
    """An SMS to a locked member who has a phone number on record."""
    member = store.staff.by_login(login)
    if member is None or not member.phone:
        return
    key = f"staff-signin-locked:{member.id}:{store.db.now()[:16]}"
    data = {"minutes": ACCOUNT.lock_s // 60}
    store.outbox.add(OutboxItem(key, "sms", member.phone, "signin_locked", data))


def guard(request: Request) -> SignInGuard:
    """The app's staff sign-in guard (one per app: it counts the checks in flight)."""
    state = request.app.state
    if getattr(state, "staff_guard", None) is None:
        state.staff_guard = SignInGuard(state.store, "staff", _tell_member)
    return state.staff_guard  # type: ignore[no-any-return]


async def authenticate(
    request: Request, check: Callable[[], Awaitable[StaffMember | None]], login: str
) -> StaffMember | None:
    """``check()`` (the identity provider's), throttled per login and client, load shed."""
    return await guard(request).attempt(login.strip().lower()[:64], check)
