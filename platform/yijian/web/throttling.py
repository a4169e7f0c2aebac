"""Failed tries counted in the store: sign-in (``SignInGuard``) and guessable codes.

Sign-in (citizens in ``auth``, staff in ``staffauth``): failures are counted per account and
per client address in the store (``store.throttle``: growing delays, then a 15-minute lock;
the account holder gets an SMS through the outbox when it locks), and a refused attempt is
answered 429 *before* any hashing. When more checks are already queued for the argon2 pool
than it finishes in about a second, a new one is answered 503 at once (load shed) instead of
making every sign-in, the genuine ones too, wait behind a flood.

Codes and links (``CODE_RULES``: resume links, the six-digit 代办确认码, 办件查询, 文书核验)
are counted by what their handler answered, from ``auth.SessionMiddleware``: the handlers stay
as they are, and a client or draft past its limit gets 429 without reaching them.
"""

from __future__ import annotations

import math
import re
from collections.abc import Awaitable, Callable
from contextvars import ContextVar
from typing import Any, TypeVar

import anyio
import anyio.to_thread
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from yijian.store.throttle import ACCOUNT, CLIENT, CODE, LINK, Policy, Throttle

__all__ = ["CODE_RULES", "SignInGuard", "client_address", "guard_code", "set_client"]

#: Password checks waiting for or in the argon2 pool beyond which a new one is refused (503).
MAX_QUEUED_CHECKS = 8

T = TypeVar("T")
_client: ContextVar[str] = ContextVar("yj_client", default="-")


def set_client(scope: Scope) -> None:
    """Remember the request's client address for ``client_address`` (the session middleware)."""
    if scope.get("client"):
        _client.set(str(scope["client"][0]))


def client_address() -> str:
    """The address of the client of the current request (a trusted proxy's word for it)."""
    return _client.get()


def too_many(wait_s: float) -> HTTPException:
    seconds = max(1, math.ceil(wait_s))
    when = f"{seconds} 秒" if seconds < 120 else f"{math.ceil(seconds / 60)} 分钟"
    return HTTPException(
        429,
        f"尝试次数过多。为保护账号安全，请 {when}后再试。",
        headers={"Retry-After": str(seconds)},
    )


def shed() -> HTTPException:
    return HTTPException(503, "现在登录的人较多，请稍候几秒再试。", headers={"Retry-After": "5"})


class SignInGuard:
    """Throttling and load shedding around one kind of password check (see the docstring).

    ``scope`` separates the counters of citizens and staff; ``on_lock(store, account)`` tells
    the account's holder (in a worker thread) when this failure locked the account."""

    def __init__(self, store: Any, scope: str, on_lock: Callable[[Any, str], None]):
        self._store = store
        self._throttle = Throttle(store.db)
        self._scope = scope
        self._on_lock = on_lock
        self._queued = 0

    async def attempt(self, account: str, check: Callable[[], Awaitable[T | None]]) -> T | None:
        """``check()``'s result, counted; 429 while throttled, 503 when the pool is full."""
        keys = [
            (f"{self._scope}:account:{account}", ACCOUNT),
            (f"{self._scope}:client:{client_address()}", CLIENT),
        ]
        wait = await anyio.to_thread.run_sync(self._throttle.wait_s, keys)
        if wait > 0:
            raise too_many(wait)
        if self._queued >= MAX_QUEUED_CHECKS:
            raise shed()
        self._queued += 1
        try:
            result = await check()
        finally:
            self._queued -= 1
        if result is None:
            locked = await anyio.to_thread.run_sync(self._throttle.fail, keys)
            if keys[0][0] in locked:
                await anyio.to_thread.run_sync(self._on_lock, self._store, account)
        else:
            await anyio.to_thread.run_sync(self._throttle.clear, keys[0][0])
        return result


#: Codes and links guessed at, throttled by what the handler answered: (method, path, the
#: statuses that are a success, the statuses that are a wrong guess, the counters as (name,
#: policy, whether the path's first ``{…}`` value is the key instead of the client)). Other
#: answers count for nothing: a browser that may not even open the draft (404) must not use
#: up the draft's tries and lock its owner out.
Counter = tuple[str, Policy, bool]
Rule = tuple[str, re.Pattern[str], frozenset[int], frozenset[int], tuple[Counter, ...]]
CODE_RULES: tuple[Rule, ...] = (
    # a resume link: 256 random bits, but a scanner should not get to try thousands
    ("GET", re.compile(r"^/resume/[^/]+$"), frozenset({303}), frozenset({410}),
     (("resume", LINK, False),)),
    # the six-digit 代办确认码 of one draft: per draft and per client
    ("POST", re.compile(r"^/drafts/([^/]+)/assist-confirm$"), frozenset({303}), frozenset({400}),
     (("assist-code", CODE, True), ("assist-client", CLIENT, False))),
    # 办件查询 (case number + ID number) and 文书核验 (check code)
    ("POST", re.compile(r"^/progress$"), frozenset({200}), frozenset({404}),
     (("progress", LINK, False),)),
    ("GET", re.compile(r"^/verify/[^/]+$"), frozenset({200}), frozenset({404}),
     (("verify", LINK, False),)),
    # every sign-up texts a phone (a code, or "already registered"): a few an hour per
    # client, so nobody floods a stranger's phone; the code itself, per client
    ("POST", re.compile(r"^/signup$"), frozenset(), frozenset({303}),
     (("signup", LINK, False),)),
    ("POST", re.compile(r"^/signup/verify$"), frozenset({303}), frozenset({400}),
     (("signup-code", CODE, False),)),
)  # fmt: skip

_TOO_MANY_BODY = (
    '<!DOCTYPE html><html lang="zh-CN"><meta charset="utf-8"><title>尝试次数过多</title>'
    "<h1>尝试次数过多</h1><p>为保护您的信息，请稍后再试。</p></html>"
).encode()


Found = tuple[frozenset[int], frozenset[int], list[tuple[str, Policy]]]


def _code_keys(scope: Scope) -> Found | None:
    for method, pattern, success, failure, counters in CODE_RULES:
        match = pattern.match(scope.get("path", ""))
        if scope["method"] == method and match:
            client = str(scope["client"][0]) if scope.get("client") else "-"
            keys = [
                (f"code:{name}:{match.group(1) if by_path else client}", policy)
                for name, policy, by_path in counters
            ]
            return success, failure, keys
    return None


async def guard_code(app: ASGIApp, scope: Scope, receive: Receive, send: Send) -> bool:
    """Run a code-checking request counted (True), or answer 429 (also True); False when the
    request checks no code."""
    found = _code_keys(scope)
    store = getattr(scope["app"].state, "store", None) if "app" in scope else None
    if found is None or store is None:
        return False
    success, failure, keys = found
    throttle = Throttle(store.db)
    wait = await anyio.to_thread.run_sync(throttle.wait_s, keys)
    if wait > 0:
        headers = [
            (b"content-type", b"text/html; charset=utf-8"),
            (b"retry-after", str(max(1, math.ceil(wait))).encode()),
            (b"content-length", str(len(_TOO_MANY_BODY)).encode()),
        ]
        await send({"type": "http.response.start", "status": 429, "headers": headers})
        await send({"type": "http.response.body", "body": _TOO_MANY_BODY})
        return True
    status: list[int] = []

    async def watch(message: Message) -> None:
        if message["type"] == "http.response.start":
            status.append(int(message["status"]))
        await send(message)

    await app(scope, receive, watch)
    if status and status[0] in success:
        await anyio.to_thread.run_sync(throttle.clear, keys[0][0])
    elif status and status[0] in failure:
        await anyio.to_thread.run_sync(throttle.fail, keys)
    return True
