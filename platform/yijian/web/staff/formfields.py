"""Reading a staff action's form: every field as a list (checkboxes repeat), one value cut to
a length, and the action run off the event loop. Shared by the window's and the departments'
action handlers, which differ only in what they do with the fields."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from yijian.web.offload import run

__all__ = ["Fields", "act_with_fields", "one"]

Fields = dict[str, list[Any]]


async def act_with_fields(
    request: Request, handler: Callable[[Request, Fields], Response]
) -> Response:
    """The form's fields (no files), then ``handler(request, fields)`` in a worker thread."""
    async with request.form(max_files=0, max_fields=500) as form:
        fields = {k: form.getlist(k) for k in form}
    return await run(request, handler, request, fields)


def one(fields: Fields, name: str, limit: int = 2000) -> str:
    """The first value of ``name`` as text, at most ``limit`` characters ('' when absent)."""
    values = fields.get(name) or [""]
    return str(values[0])[:limit]
