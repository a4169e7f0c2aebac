"""``create_app(settings)``: the whole web application, with explicit routes and middleware.

Everything a request needs hangs on ``app.state`` (registry, store, templates, regions,
catalog); nothing is module-level state, so tests build as many apps as they like. The
registry is loaded and the store opened here, synchronously, so a misconfigured site fails at
start-up rather than on its first citizen; the lifespan only runs the definition watcher.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sqlite3
from collections.abc import AsyncIterator
from typing import Any

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from yijian.apply.errors import AlreadySubmitted, ApplyError
from yijian.apply.evaluation import last_outcomes
from yijian.apply.services import Services
from yijian.extend import STORAGE_BACKENDS
from yijian.registry.reload import watch_definitions
from yijian.registry.snapshot import Registry
from yijian.runtime.regions import RegionTable
from yijian.store.target import resolve
from yijian.web.admin import status as admin
from yijian.web.admin.staff import admin_staff_routes
from yijian.web.auth import SessionMiddleware
from yijian.web.citizen import cannot, drafts, forms, review
from yijian.web.citizen.accounts import account_routes
from yijian.web.citizen.cases import case_routes
from yijian.web.citizen.correction import correction_routes
from yijian.web.citizen.licences import licence_routes
from yijian.web.citizen.rating import rating_routes
from yijian.web.citizen.supply import supply_routes
from yijian.web.failures import (
    NOT_SAVED,
    StartRefused,
    check_writable,
    store_failed,
    unavailable,
)
from yijian.web.public.catalog import Catalog
from yijian.web.public.guide import guide_endpoint
from yijian.web.public.progress import progress_routes
from yijian.web.public.verify import verify_routes
from yijian.web.security import SecurityMiddleware
from yijian.web.settings import Settings
from yijian.web.staff.assist import assist_routes
from yijian.web.staff.ratings import rating_staff_routes
from yijian.web.staff.signin import signin_routes
from yijian.web.staff.supervision import supervision_routes
from yijian.web.staff.tasks import task_routes
from yijian.web.staff.window import window_routes
from yijian.web.staffauth import SignInNeeded
from yijian.web.static import StaticFiles
from yijian.web.templating import THEME_COOKIE, THEMES, Templates

log = logging.getLogger("yijian.web")

MESSAGES = {
    400: ("请求无法处理", "提交的内容格式不正确，请返回上一页重试。"),
    403: ("无权访问", "您没有权限查看这个页面。"),
    404: (
        "页面不存在",
        "您要找的页面不存在，或者您没有权限查看。如果是您本人的申请，请先登录或使用保存时生成的继续填写链接。",
    ),
    405: ("请求无法处理", "请从本站页面上的按钮操作。"),
    410: ("内容已失效", "这个页面已失效。"),
    413: ("内容太大", "上传的文件太大，请压缩后重试。"),
    422: ("无法识别填写内容", "部分填写内容无法识别，请返回检查后重试。"),
    # never "您已填写的内容已保存": a failed request cannot know that (issue 13)
    500: ("系统暂时出现问题", "我们已记录此问题，请稍后重试。"),
    503: ("系统繁忙", NOT_SAVED),
}


async def http_error(request: Request, exc: Exception) -> Response:
    if isinstance(exc, SignInNeeded):  # a staff page without a staff session
        return RedirectResponse(exc.url, status_code=303, headers={"cache-control": "no-store"})
    if isinstance(exc, AlreadySubmitted):  # the draft is a case now: show the case
        return RedirectResponse(
            f"/cases/{exc.case_no}" if exc.case_no else "/",
            status_code=303,
            headers={"cache-control": "no-store"},
        )
    if store_failed(exc):  # a store call not made through offload: the same 503
        exc = unavailable()
    code = exc.status_code if isinstance(exc, HTTPException) else 500
    if isinstance(exc, ApplyError):  # the application layer's refusal, in its own words
        code = exc.status
    title, body = MESSAGES.get(code, MESSAGES[400] if code < 500 else MESSAGES[500])
    if isinstance(exc, HTTPException) and exc.detail and not exc.detail.isascii():
        body = exc.detail  # our own Chinese detail, never a user value
    elif isinstance(exc, ApplyError) and code != 404:
        body = exc.message
    if code == 500:
        log.error(
            "unhandled error on %s %s: %s", request.method, request.url.path, type(exc).__name__
        )
    if code == 503:
        log.warning("store unavailable on %s %s", request.method, request.url.path)
    templates: Templates = request.app.state.templates
    headers = {"cache-control": "no-store"}
    if isinstance(exc, HTTPException) and exc.headers:  # Retry-After of a 503
        headers.update(exc.headers)
    return templates.render(
        request,
        "error.html",
        {"title": title, "body": body, "code": code},
        status_code=code,
        headers=headers,
    )


async def switch_theme(request: Request) -> Response:
    """The 长辈版/标准版 link: remember the choice in a cookie and go back."""
    name = request.path_params["name"]
    target = request.query_params.get("next", "/")
    if not target.startswith("/") or target.startswith("//") or "\\" in target:
        target = "/"
    response = RedirectResponse(target, status_code=303)
    if name in THEMES:
        response.set_cookie(
            THEME_COOKIE,
            name,
            max_age=365 * 86400,
            httponly=True,
            samesite="lax",
            secure=request.url.scheme == "https",
        )
    return response


def routes(static: StaticFiles, catalog: Catalog) -> list[BaseRoute]:
    return [
        Route("/", catalog.endpoint, name="catalog"),
        Route("/matters/{matter_id}", guide_endpoint, name="guide"),
        Route("/apply/{matter_id}", forms.apply_start, methods=["POST"], name="apply"),
        Route("/apply/{matter_id}", forms.apply_get, methods=["GET"]),
        Route("/drafts/{draft_id}", forms.draft_home, name="draft"),
        Route("/drafts/{draft_id}/review", review.review, name="review"),
        Route("/drafts/{draft_id}/submit", review.submit, methods=["POST"], name="submit"),
        Route("/drafts/{draft_id}/assist-confirm", review.assist_confirm, methods=["POST"]),
        Route("/drafts/{draft_id}/save", drafts.save_later, methods=["GET", "POST"], name="save"),
        # apply.deadend.PAGE: before the page route, which would take it for a page id
        Route("/drafts/{draft_id}/_cannot-apply", cannot.cannot_apply, name="cannot_apply"),
        Route("/drafts/{draft_id}/{page_id}", forms.page_get, name="page"),
        Route("/drafts/{draft_id}/{page_id}", forms.page_post, methods=["POST"]),
        Route("/drafts/{draft_id}/{page_id}/change", forms.change, methods=["POST"], name="change"),
        Route("/resume/{token}", drafts.resume, name="resume"),
        Route("/theme/{name}", switch_theme, name="theme"),
        Route("/admin/status", admin.status, name="admin_status"),
        Route("/static/{path:path}", static.endpoint, name="static"),
        *account_routes(),
        *case_routes(),
        *correction_routes(),
        *progress_routes(),
        *verify_routes(),
        *licence_routes(),
        *rating_routes(),
        *rating_staff_routes(),
        *supply_routes(),
        *signin_routes(),
        *window_routes(),
        *assist_routes(),
        *admin_staff_routes(),
        *task_routes(),
        *supervision_routes(),
    ]


def open_store(settings: Settings) -> Any:
    """The store of the ``storage_backends`` plugin ``settings.backend`` (SQLite by default;
    ``postgresql`` when ``settings.db_url`` is set)."""
    settings.db_path.parent.mkdir(parents=True, exist_ok=True)
    if settings.db_url:
        backend = STORAGE_BACKENDS.get(
            "postgresql" if settings.backend == "sqlite" else settings.backend
        )
        return backend.open(settings.db_url, files=settings.files_dir)
    return STORAGE_BACKENDS.get(settings.backend).open(settings.db_path, files=settings.files_dir)


def _lifespan(registry: Registry, settings: Settings, store: Any) -> Any:
    """Start-up and shutdown: the definitions watcher; then the thread pool, the store thread
    and the store closed."""

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        stop = asyncio.Event()
        task = None
        if settings.reload:
            task = asyncio.create_task(watch_definitions(registry, stop))
        try:
            yield
        finally:
            stop.set()
            if task is not None:
                with contextlib.suppress(Exception):
                    await asyncio.wait_for(task, 5)
            pool = getattr(app.state, "executor", None)
            if pool is not None:
                pool.shutdown(wait=False)
            lane = getattr(app.state, "store_lane", None)
            if lane is not None:
                lane.close()
            store.close()

    return lifespan


def create_app(settings: Settings) -> Starlette:
    """The app; stops with one line (``failures.StartRefused``) when the store or its files
    folder cannot be written, rather than failing on the first citizen's answers."""
    from yijian.runtime.logmask import install

    install()  # no ID number, phone or draft secret reaches any log, however the app started
    try:
        store = open_store(settings)
    except sqlite3.Error as exc:  # locked past the timeout, read-only, not a database
        where = settings.db_path if not settings.db_url else resolve(settings.db_url).label
        raise StartRefused(f"yijian: cannot open the store ({where}): {exc}") from None
    check_writable(store)
    # versions are archived in the store, so a case keeps its version across restarts
    registry = Registry(settings.root, region=settings.region, archive=store.versions)
    if registry.load() is None:
        log.warning(
            "definitions have %d errors; serving what compiled (see /admin/status)",
            len(registry.last_errors),
        )
    static = StaticFiles(settings)
    catalog = Catalog()

    app = Starlette(
        routes=routes(static, catalog),
        middleware=[Middleware(SecurityMiddleware), Middleware(SessionMiddleware)],
        exception_handlers={
            HTTPException: http_error,
            ApplyError: http_error,
            SignInNeeded: http_error,
            Exception: http_error,
        },
        lifespan=_lifespan(registry, settings, store),
    )
    app.state.settings = settings
    app.state.registry = registry
    app.state.store = store
    app.state.templates = Templates(settings)
    app.state.regions = RegionTable.load()
    app.state.catalog = catalog
    app.state.services = Services(registry, store, app.state.regions, settings.region)
    app.state.last_outcomes = last_outcomes(app.state.services)
    return app
