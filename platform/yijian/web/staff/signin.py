"""Staff sign-in and sign-out (``/staff/signin``, ``/staff/signout``).

Through the ``staff-password`` identity provider (``office.identity``; a province's unified
login replaces it behind the same interface). A wrong login and a wrong password get the
same message in the same time. ``next`` only ever leads to a staff path on this site.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from yijian.extend import IDENTITY_PROVIDERS
from yijian.office.identity import open_session
from yijian.store.passwords import Passwords
from yijian.web import staffauth
from yijian.web.offload import run
from yijian.web.redirects import see_other
from yijian.web.staffauth import COOKIE, clear_cookie, set_cookie

FAILED = "登录名或密码不正确，或账号已停用"


def _next(value: object) -> str:
    text = str(value or "")
    ok = text.startswith(("/staff", "/admin")) and not text.startswith("//") and "\\" not in text
    return text if ok else "/staff"


def _provider(request: Request) -> object:
    state = request.app.state
    provider = getattr(state, "staff_identity", None)
    if provider is None:
        passwords = getattr(state, "passwords", None) or Passwords()
        state.passwords = passwords
        provider = state.staff_identity = IDENTITY_PROVIDERS.get("staff-password")(
            state.store, passwords
        )
    return provider


def _page(request: Request, error: str | None = None, login: str = "") -> Response:
    context = {
        "next": _next(request.query_params.get("next")),
        "error": error,
        "login": login[:64],
        "title": "工作人员登录",
    }
    return request.app.state.templates.render(
        request,
        "staff/signin.html",
        context,
        status_code=200 if error is None else 400,
        headers={"cache-control": "no-store"},
    )


async def signin_get(request: Request) -> Response:
    return _page(request)


async def signin_post(request: Request) -> Response:
    async with request.form(max_files=0, max_fields=10) as form:
        login = str(form.get("login") or "")
        password = str(form.get("password") or "")
        target = _next(form.get("next"))
    provider = _provider(request)
    member = await staffauth.authenticate(
        request,
        lambda: provider.authenticate(login, password),  # type: ignore[attr-defined]
        login,
    )
    if member is None:
        return _page(request, FAILED, login)
    session_id = await run(request, open_session, request.app.state.store, member, via="password")
    if session_id is None:
        return _page(request, FAILED, login)
    response = see_other(target)
    set_cookie(request, response, session_id)
    return response


async def signout(request: Request) -> Response:
    session_id = request.cookies.get(COOKIE)
    if session_id:
        await run(request, request.app.state.store.staff.end_session, session_id)
    response = see_other("/staff/signin")
    clear_cookie(request, response)
    return response


def signin_routes() -> list[Route]:
    return [
        Route("/staff/signin", signin_get, methods=["GET"], name="staff_signin"),
        Route("/staff/signin", signin_post, methods=["POST"]),
        Route("/staff/signout", signout, methods=["POST"], name="staff_signout"),
    ]
