"""Sign-up in two steps, so that sign-up never tells anyone a phone is registered.

Step 1 (``/signup``, ``accounts.signup``) checks the form and the password, then calls
:func:`begin`: the same reply for every phone, "我们已向 138****8000 发送验证码". A new phone
gets a six-digit code by SMS; a registered phone gets a message that it is registered (and no
code), so only the phone's holder learns anything. Step 2 (``/signup/verify``) creates the
account when the code comes back (``store.signups``: five tries, ten minutes), and signs in.
The browser holds the pending sign-up by an HttpOnly cookie scoped to ``/signup``.
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from yijian.runtime.mask import mask_phone
from yijian.store import PhoneTaken, Store
from yijian.store.outbox import OutboxItem
from yijian.web.auth import identity, tell_holder_of
from yijian.web.offload import run
from yijian.web.security import is_https

__all__ = ["COOKIE", "begin", "signup_code_routes"]

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


def _render(request: Request, ctx: dict[str, Any], status: int = 200) -> Response:
    return request.app.state.templates.TemplateResponse(
        request, "account/signup_verify.html", ctx, status_code=status
    )


async def verify(request: Request) -> Response:
    from yijian.web.citizen.accounts import _signed_in, safe_next

    next_url = safe_next(request.query_params.get("next"))
    token = request.cookies.get(COOKIE, "")
    store: Store = request.app.state.store
    phone = await run(request, store.signups.phone_of, token) if token else None
    if phone is None:
        return RedirectResponse("/signup", status_code=303)
    ctx: dict[str, Any] = {"next": next_url, "phone": mask_phone(phone), "error": None}
    if request.method == "GET":
        return _render(request, ctx)
    form = await request.form()
    code = str(form.get("code", "")).strip().replace(" ", "")[:12]
    pending = await run(request, store.signups.confirm, token, code) if code else None
    if pending is None:
        ctx["error"] = "请输入短信中的 6 位验证码" if not code else WRONG
        return _render(request, ctx, 400)
    try:
        user = await run(request, store.users.create, pending.phone, pending.password_hash,
                         pending.name)  # fmt: skip
    except PhoneTaken:  # registered meanwhile, by someone else
        ctx["error"] = WRONG
        return _render(request, ctx, 400)
    response = await _signed_in(request, user.id, next_url)
    response.delete_cookie(COOKIE, path="/signup", httponly=True, samesite="lax",
                           secure=is_https(request.scope))  # fmt: skip
    return response


def signup_code_routes() -> list[Route]:
    return [Route("/signup/verify", verify, methods=["GET", "POST"], name="signup_verify")]
