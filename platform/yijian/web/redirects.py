"""The one redirect the citizen pages use: 303 See Other, never cached."""

from __future__ import annotations

from starlette.responses import RedirectResponse


def see_other(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303, headers={"cache-control": "no-store"})
