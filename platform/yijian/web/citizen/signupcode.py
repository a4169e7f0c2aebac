"""Sign-up in two steps, so that sign-up never tells anyone a phone is registered.

Step 1 (``/signup``, ``accounts.signup``) checks the form and the password, then calls
:func:`begin`: the same reply for every phone, "我们已向 138****8000 发送验证码". A new phone
gets a six-digit code by SMS; a registered phone gets a message that it is registered (and no
code), so only the phone's holder learns anything. Step 2 (``/signup/verify``) creates the
account when the code comes back (``store.signups``: five tries, ten minutes), and signs in.
The browser holds the pending sign-up by an HttpOnly cookie scoped to ``/signup``.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from yijian.store import Store
from yijian.store.outbox import OutboxItem
from yijian.web.auth import identity, tell_holder_of
from yijian.web.offload import run
from yijian.web.security import is_https

__all__ = ["COOKIE", "WRONG", "begin"]

COOKIE = "yj_signup"
WRONG = "验证码不正确或已过期。请核对短信中的 6 位验证码；如未收到，请重新注册"


def _start(store: Store, phone: str, name: str, password_hash: str) -> str:
    registered = store.users.by_phone(phone) is not None
    token, code = store.signups.start(phone, name, password_hash, registered)
    if code is None:
        tell_holder_of(store, phone)  # "该号码已注册" to the holder, nobody else
    else:
        key = f"signup-code:{token[:16]}"
        store.outbox.add(OutboxItem(key, "sms", phone, "signup_code", {"code": code}))
    return token


async def begin(request: Request, phone: str, name: str, password: str, next_url: str) -> Response:
    """Step 1's reply: the same for every phone (see the module docstring)."""
    password_hash = await identity(request).hash(password)
    store = request.app.state.store
    token = await run(request, _start, store, phone, name, password_hash)
    response = RedirectResponse(f"/signup/verify?next={next_url}", status_code=303)
    response.set_cookie(COOKIE, token, max_age=600, path="/signup", httponly=True,
                        samesite="lax", secure=is_https(request.scope))  # fmt: skip
    return response
