"""When the store cannot save: say so, answer 503 with Retry-After, never claim "saved".

Issue 13 found every failed write (read-only database, full disk, a lock held by another
process) answered 500 with "您已填写的内容已保存" although nothing was. Now:

* a write waits for a lock at most ``STORE_TIMEOUT_S`` (``Database.set_busy_timeout``), then
  raises ``StoreBusy``; every store failure is a ``sqlite3.OperationalError``
  (``StoreUnavailable`` for the files folder);
* ``offload.run`` / ``offload.in_store`` turn it into :func:`unavailable` (503, Retry-After,
  "没有保存"); the form pages catch it earlier and show the page again with what was typed
  (``web/citizen/saving.py``);
* ``check_writable`` writes once to the database and the files folder at start-up and stops
  the start with one line (:class:`StartRefused`) instead of failing on the first citizen.

Also here: :func:`limited`, the request-size limit enforced while the body streams in (a
chunked upload has no Content-Length to check up front); the request it returns reads a small
multipart body by :mod:`fastform`'s short path.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from python_multipart.multipart import parse_options_header
from starlette.datastructures import FormData
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.types import Message

from yijian.web import fastform

__all__ = [
    "NOT_SAVED",
    "RETRY_AFTER_S",
    "STORE_TIMEOUT_S",
    "StartRefused",
    "check_writable",
    "limited",
    "max_body",
    "store_failed",
    "unavailable",
]

#: how long a request waits for the database's write lock before it answers 503
STORE_TIMEOUT_S = 5.0
RETRY_AFTER_S = 10
NOT_SAVED = "系统暂时无法保存，刚才提交的内容没有保存。请稍后重试。"
TOO_LARGE = "上传的内容太大"


class StartRefused(SystemExit):
    """The server cannot work with this store: a ``SystemExit`` whose message is the one line
    printed when ``yijian serve`` stops (exit status 1), without a traceback."""


def store_failed(exc: BaseException) -> bool:
    """The store refused a read or write (locked, read-only, full, files folder refused)."""
    return isinstance(exc, sqlite3.OperationalError)


def unavailable(detail: str = NOT_SAVED) -> HTTPException:
    """503 with Retry-After: the error page says nothing was saved."""
    return HTTPException(503, detail, headers={"Retry-After": str(RETRY_AFTER_S)})


def check_writable(store: Any) -> None:
    """Write once to the database and to the files folder; stop the start if either fails."""
    db = getattr(store, "db", None)
    try:
        if db is not None:
            db.set_busy_timeout(STORE_TIMEOUT_S)
            db.probe()
        files = getattr(store, "files", None)
        if files is not None and hasattr(files, "probe"):
            files.probe()
    except (sqlite3.Error, OSError) as exc:
        where = getattr(store, "path", "the store")
        raise StartRefused(f"yijian: cannot write to the store ({where}): {exc}") from None


def max_body(request: Request) -> int:
    """The largest request body a citizen post may have (``Settings.max_upload_mb``)."""
    settings = getattr(request.app.state, "settings", None)
    return int(getattr(settings, "max_upload_mb", 20) * 1024 * 1024)


def limited(request: Request, limit: int) -> Request:
    """The request, its body refused (413) past ``limit`` bytes as it streams in.

    Why not the Content-Length alone: a chunked body has none, and was read in full. The
    header is still checked first, so an honest large upload is refused before any byte."""
    declared = request.headers.get("content-length")
    if declared is not None:
        if not declared.isdigit():
            raise HTTPException(400)
        if int(declared) > limit:
            raise HTTPException(413, TOO_LARGE)
    received = 0
    receive = request.receive

    async def counted() -> Message:
        nonlocal received
        message = await receive()
        if message["type"] == "http.request":
            received += len(message.get("body", b""))
            if received > limit:
                raise HTTPException(413, TOO_LARGE)
        return message

    return _Limited(request.scope, counted)


class _Limited(Request):
    """A request whose small multipart body is read by :func:`fastform.parse_small` (about
    five times faster than python-multipart on a form page); the rest as Starlette does."""

    async def _get_form(
        self,
        *,
        max_files: int | float = 1000,
        max_fields: int | float = 1000,
        max_part_size: int = 1024 * 1024,
    ) -> FormData:
        if self._form is None:
            self._form = await fastform.small_urlencoded(self)
        if self._form is None:
            self._form = await _small_multipart(self, max_files, max_fields)
        if self._form is None:
            return await super()._get_form(
                max_files=max_files, max_fields=max_fields, max_part_size=max_part_size
            )
        return self._form


async def _small_multipart(request: Request, max_files: float, max_fields: float) -> Any:
    """The form by the short path, or None (then the body, if read, is kept for the parser)."""
    declared = request.headers.get("content-length", "")
    kind = request.headers.get("content-type", "")
    if not kind.startswith("multipart/form-data") or not declared.isdigit():
        return None
    if int(declared) > fastform.SMALL:
        return None
    media, params = parse_options_header(kind)
    boundary = params.get(b"boundary")
    if media != b"multipart/form-data" or not boundary:
        return None
    charset = params.get(b"charset", b"utf-8").decode("latin-1")
    body = await request.body()  # counted: refused past the limit like a streamed one
    return fastform.parse_small(body, boundary, charset, max_files, max_fields)
