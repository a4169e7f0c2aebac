"""Sign-up, sign-in and sign-out pages (phone + password).

Plain POST forms that work without JavaScript; cross-site POSTs are refused by the app's
Sec-Fetch-Site middleware. Sign-in gives a fresh session id every time (no fixation), answers
"手机号码或密码不正确" for an unknown phone and a wrong password alike, and follows ``?next=``
only to a path on this site. Sign-out revokes the session; "退出所有设备" bumps the session
version so every other device is signed out too.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from yijian.rules.builtins.cnid import mobile_valid
from yijian.runtime.mask import mask_phone
from yijian.store import PhoneTaken, Store
from yijian.store.passwords import MAX_PASSWORD
from yijian.store.weakpasswords import weak_password
from yijian.web.auth import (
    COOKIE,
    clear_session_cookie,
    current_user,
    identity,
    set_session_cookie,
)
from yijian.web.citizen.signupcode import COOKIE as SIGNUP_COOKIE
from yijian.web.citizen.signupcode import WRONG as WRONG_CODE
from yijian.web.citizen.signupcode import begin
from yijian.web.draftcookie import remembered
from yijian.web.failures import RETRY_AFTER_S, store_failed
from yijian.web.offload import run
from yijian.web.security import is_https

__all__ = ["account_routes", "normalize_phone", "safe_next"]

MIN_PASSWORD = 8
_BAD_CREDENTIALS = "手机号码或密码不正确"


def normalize_phone(text: str) -> str:
    """11 digits from what people type: spaces, hyphens and a +86 / 86 prefix removed."""
    digits = re.sub(r"[\s-]", "", text)
    if digits.startswith("+86"):
        digits = digits[3:]
    elif digits.startswith("86") and len(digits) == 13:
        digits = digits[2:]
    return digits


def safe_next(value: str | None, default: str = "/my") -> str:
    """``value`` if it is a path on this site, else ``default`` (no open redirects)."""
    if not value or not value.startswith("/") or value.startswith("//") or "\\" in value:
        return default
    if any(ord(ch) < 0x20 for ch in value):
        return default
    parts = urlsplit(value)
    if parts.scheme or parts.netloc:
        return default
    return value


def _render(request: Request, name: str, ctx: dict[str, Any], status: int = 200) -> Response:
    templates = request.app.state.templates
    return templates.TemplateResponse(request, name, ctx, status_code=status)


NOT_REGISTERED = "系统暂时无法保存，您的账号还没有建立。请稍后再点击“注册”。"
NOT_SIGNED_IN = "您的账号已经建立，但系统暂时无法让您登录。请稍后用手机号码和密码登录。"


def _not_saved(request: Request, ctx: dict[str, Any], title: str, body: str) -> Response:
    """The sign-up form again with what was typed and what did (not) happen: 503."""
    ctx.update(unsaved={"title": title, "body": body})
    response = _render(request, "account/signup.html", ctx, status=503)
    response.headers["retry-after"] = str(RETRY_AFTER_S)
    return response


def _new_session(store: Store, old: str | None, user_id: int) -> str:
    if old:
        store.sessions.revoke(old)
    return store.sessions.create(user_id)


async def _signed_in(request: Request, user_id: int, target: str) -> Response:
    old = request.cookies.get(COOKIE)
    store = request.app.state.store
    session_id = await run(request, _new_session, store, old, user_id)
    # what this browser filled without an account becomes the account's: drafts and cases
    await run(request, _claim, store, remembered(request), user_id)
    response = RedirectResponse(target, status_code=303)
    set_session_cookie(request, response, session_id)
    return response


def _claim(store: Store, draft_ids: list[str], user_id: int) -> None:
    for draft_id in draft_ids:
        store.drafts.claim(draft_id, user_id)


async def signup(request: Request) -> Response:
    next_url = safe_next(request.query_params.get("next"))
    ctx: dict[str, Any] = {"next": next_url, "values": {}, "errors": {}, "user": None}
    if request.method == "GET":
        return _render(request, "account/signup.html", ctx)
    form = await request.form()
    name = str(form.get("name", "")).strip()
    phone = normalize_phone(str(form.get("phone", "")))
    password = str(form.get("password", ""))
    errors: dict[str, str] = {}
    if not name:
        errors["name"] = "请输入姓名"
    elif len(name) > 50:
        errors["name"] = "姓名不能超过 50 个字"
    if not phone:
        errors["phone"] = "请输入手机号码"
    elif not mobile_valid(phone):
        errors["phone"] = "请输入 11 位手机号码，如 13800138000"
    if len(password) < MIN_PASSWORD:
        errors["password"] = f"密码至少 {MIN_PASSWORD} 位"
    elif len(password) > MAX_PASSWORD:
        errors["password"] = f"密码不能超过 {MAX_PASSWORD} 位"
    if not errors:
        ctx.update(values={"name": name, "phone": phone}, errors={})
        problem = weak_password(password, account=phone)
        if problem is not None:  # common or trivial (store.weakpasswords)
            errors["password"] = problem
        else:
            try:  # the same reply for every phone: a code is texted (signupcode)
                return await begin(request, phone, name, password, next_url)
            except Exception as exc:
                busy = isinstance(exc, HTTPException) and exc.status_code == 503  # offload's
                if not (busy or store_failed(exc)):
                    raise
                return _not_saved(request, ctx, "账号暂时没有注册成功", NOT_REGISTERED)
    ctx.update(values={"name": name, "phone": phone}, errors=errors)
    return _render(request, "account/signup.html", ctx, status=400)


def _render_code(request: Request, ctx: dict[str, Any], status: int = 200) -> Response:
    return request.app.state.templates.TemplateResponse(
        request, "account/signup_verify.html", ctx, status_code=status
    )


async def signup_verify(request: Request) -> Response:
    next_url = safe_next(request.query_params.get("next"))
    token = request.cookies.get(SIGNUP_COOKIE, "")
    store: Store = request.app.state.store
    phone = await run(request, store.signups.phone_of, token) if token else None
    if phone is None:
        return RedirectResponse("/signup", status_code=303)
    ctx: dict[str, Any] = {"next": next_url, "phone": mask_phone(phone), "error": None}
    if request.method == "GET":
        return _render_code(request, ctx)
    form = await request.form()
    code = str(form.get("code", "")).strip().replace(" ", "")[:12]
    pending = await run(request, store.signups.confirm, token, code) if code else None
    if pending is None:
        ctx["error"] = "请输入短信中的 6 位验证码" if not code else WRONG_CODE
        return _render_code(request, ctx, 400)
    try:
        user = await run(request, store.users.create, pending.phone, pending.password_hash,
                         pending.name)  # fmt: skip
    except PhoneTaken:  # registered meanwhile, by someone else
        ctx["error"] = WRONG_CODE
        return _render_code(request, ctx, 400)
    response = await _signed_in(request, user.id, next_url)
    response.delete_cookie(SIGNUP_COOKIE, path="/signup", httponly=True, samesite="lax",
                           secure=is_https(request.scope))  # fmt: skip
    return response


async def signin(request: Request) -> Response:
    next_url = safe_next(request.query_params.get("next"))
    ctx: dict[str, Any] = {"next": next_url, "values": {}, "errors": {}, "user": None}
    if request.method == "GET":
        return _render(request, "account/signin.html", ctx)
    form = await request.form()
    phone = normalize_phone(str(form.get("phone", "")))
    password = str(form.get("password", ""))
    errors: dict[str, str] = {}
    if not phone:
        errors["phone"] = "请输入手机号码"
    if not password:
        errors["password"] = "请输入密码"
    if not errors:
        user = None
        if len(password) <= MAX_PASSWORD:
            user = await identity(request).authenticate(phone, password)
        if user is not None:
            return await _signed_in(request, user.id, next_url)
        errors["phone"] = _BAD_CREDENTIALS
    ctx.update(values={"phone": phone}, errors=errors)
    return _render(request, "account/signin.html", ctx, status=400)


async def signout(request: Request) -> Response:
    store: Store = request.app.state.store
    form = await request.form()
    session_id = request.cookies.get(COOKIE)
    user = current_user(request)
    await run(request, _sign_out, store, user, session_id, bool(form.get("everywhere")))
    response = RedirectResponse("/", status_code=303)
    clear_session_cookie(request, response)
    return response


def _sign_out(store: Store, user: Any, session_id: str | None, everywhere: bool) -> None:
    if user is not None and everywhere:
        store.users.bump_session_version(user.id)
    if session_id:
        store.sessions.revoke(session_id)


def account_routes() -> list[Route]:
    return [
        Route("/signup", signup, methods=["GET", "POST"], name="signup"),
        Route("/signup/verify", signup_verify, methods=["GET", "POST"], name="signup_verify"),
        Route("/signin", signin, methods=["GET", "POST"], name="signin"),
        Route("/signout", signout, methods=["POST"], name="signout"),
    ]
