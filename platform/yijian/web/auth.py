"""Who is asking: the session cookie, and the identity providers that sign people in.

The cookie ``yj_session`` holds only a random session id; the database holds its sha256, the
user it belongs to and the user's ``session_version`` at sign-in. Every request compares that
version with the user's current one, so "sign out everywhere" is one UPDATE.

Signing in goes through an ``IdentityProvider``. The local one, ``PasswordIdentity``, checks a
phone number and an argon2id password hash. argon2id costs ~145 ms of CPU and 64 MiB per hash
by design, so hashing runs in worker threads through ``store.passwords.Passwords`` (two at a
time, shared with staff sign-in): the event loop keeps serving pages, and a burst of sign-ins
cannot take more than 128 MiB. A province's
unified login (统一身份认证, OIDC) can replace it by implementing the same protocol and
returning our ``User`` (created on first sign-in from the verified phone number).

Every password check goes through a ``web.throttling.SignInGuard`` (failures counted per
account and client in the store, growing delays then a lock, load shed before the argon2
pool); a new password is refused when ``store.weakpasswords`` calls it common or trivial.
"""

from __future__ import annotations

from typing import Protocol

import anyio
import anyio.to_thread
from argon2 import PasswordHasher
from starlette.exceptions import HTTPException
from starlette.requests import HTTPConnection, Request
from starlette.responses import Response
from starlette.types import ASGIApp, Receive, Scope, Send

from yijian.extend import IDENTITY_PROVIDERS
from yijian.store import Store, User
from yijian.store.outbox import OutboxItem
from yijian.store.passwords import Passwords
from yijian.store.sessions import SESSION_DAYS
from yijian.store.throttle import ACCOUNT
from yijian.store.weakpasswords import weak_password
from yijian.web.security import is_https
from yijian.web.throttling import SignInGuard, guard_code, set_client

__all__ = [
    "COOKIE",
    "IdentityProvider",
    "PasswordIdentity",
    "SignInGuard",
    "WeakPassword",
    "clear_session_cookie",
    "current_user",
    "identity",
    "set_session_cookie",
    "tell_holder_of",
]

COOKIE = "yj_session"


class WeakPassword(HTTPException):
    """A password refused by ``store.weakpasswords``: a 400 whose detail is the reason (a
    handler that catches it shows ``message`` beside the password field instead)."""

    def __init__(self, message: str):
        super().__init__(400, f"{message}。请返回上一页重新设置密码。")
        self.message = message


def tell_holder_of(store: Store, phone: str) -> None:
    """Someone tried to sign up with a registered phone: its holder is told by SMS (at most
    one message a minute per phone)."""
    key = f"signup-existing:{phone}:{store.db.now()[:16]}"
    store.outbox.add(OutboxItem(key, "sms", phone, "signup_existing", {}))


def _tell_citizen(store: Store, phone: str) -> None:
    """An SMS to the holder of a locked citizen account (none for an unknown phone)."""
    if store.users.by_phone(phone) is None:
        return
    minutes = ACCOUNT.lock_s // 60
    key = f"signin-locked:{phone}:{store.db.now()[:16]}"
    store.outbox.add(OutboxItem(key, "sms", phone, "signin_locked", {"minutes": minutes}))


class SessionMiddleware:
    """Looks the session cookie up before the handler runs, in a worker thread (the store is
    never called on the event loop), and leaves the user in the scope for ``current_user``.
    Requests that check a code or a link (``CODE_RULES``) are counted and throttled."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and "yj_user" not in scope:
            conn = HTTPConnection(scope)
            session_id = conn.cookies.get(COOKIE)
            store = getattr(conn.app.state, "store", None) if "app" in scope else None
            set_client(scope)
            if session_id and store is not None:
                scope["yj_user"] = await anyio.to_thread.run_sync(store.sessions.get, session_id)
            else:
                scope["yj_user"] = None
            if await guard_code(self.app, scope, receive, send):
                return
        await self.app(scope, receive, send)


def current_user(request: Request) -> User | None:
    """The signed-in user of this request (looked up once per request), or None."""
    if "yj_user" in request.scope:
        return request.scope["yj_user"]
    user = None
    session_id = request.cookies.get(COOKIE)
    if session_id:
        store: Store = request.app.state.store
        user = store.sessions.get(session_id)
    request.scope["yj_user"] = user
    return user


def set_session_cookie(request: Request, response: Response, session_id: str) -> None:
    response.set_cookie(
        COOKIE,
        session_id,
        max_age=SESSION_DAYS * 24 * 3600,
        path="/",
        httponly=True,
        samesite="lax",
        secure=is_https(request.scope),
    )


def clear_session_cookie(request: Request, response: Response) -> None:
    response.delete_cookie(
        COOKIE, path="/", httponly=True, samesite="lax", secure=is_https(request.scope)
    )


class IdentityProvider(Protocol):
    """Something that turns credentials into one of our users (password now, OIDC later)."""

    async def authenticate(self, phone: str, password: str) -> User | None: ...


class PasswordIdentity:
    """Phone + password accounts in our own store, hashed by the shared ``store.Passwords``
    (argon2id, at most two hashes at once for citizens and staff together)."""

    def __init__(self, store: Store, hasher: PasswordHasher | Passwords | None = None):
        self._store = store
        self.passwords = hasher if isinstance(hasher, Passwords) else Passwords(hasher)
        self.guard = SignInGuard(store, "citizen", _tell_citizen)

    async def hash(self, password: str) -> str:
        return await self.passwords.hash_async(password)

    async def authenticate(self, phone: str, password: str) -> User | None:
        """The user for a correct phone + password; None for either mistake, alike (an
        unknown phone is verified against a dummy hash, so both take the same time).
        Throttled (429) and shed (503) by ``self.guard``."""
        return await self.guard.attempt(phone, lambda: self._authenticate(phone, password))

    async def _authenticate(self, phone: str, password: str) -> User | None:
        user = await anyio.to_thread.run_sync(self._store.users.by_phone, phone)
        stored = user.password_hash if user is not None else None
        if not await self.passwords.verify_async(stored, password) or user is None:
            return None
        if self.passwords.needs_rehash(user.password_hash):
            new_hash = await self.hash(password)
            await anyio.to_thread.run_sync(self._store.users.set_password_hash, user.id, new_hash)
        return user

    async def register(self, phone: str, password: str, name: str) -> User:
        """A new local account; raises ``WeakPassword`` (before anything is stored) and
        ``yijian.store.PhoneTaken``."""
        problem = weak_password(password, account=phone)
        if problem is not None:
            raise WeakPassword(problem)
        password_hash = await self.hash(password)
        return await anyio.to_thread.run_sync(self._store.users.create, phone, password_hash, name)


def identity(request: Request) -> PasswordIdentity:
    """The app's identity provider (``app.state.identity``), created on first use."""
    state = request.app.state
    provider = getattr(state, "identity", None)
    if provider is None:  # the ``password`` plugin of the ``yijian.identity_providers`` point
        provider = IDENTITY_PROVIDERS.get("password")(state.store)
        state.identity = provider
    return provider
