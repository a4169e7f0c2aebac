"""Cross-origin protection and security headers, as one small pure-ASGI middleware.

Why not a CSRF token library: the token libraries either cannot serve the first page without
JavaScript or fail on multipart bodies with the current python-multipart. Browsers
now say where a request comes from (``Sec-Fetch-Site``); where an old browser does not, the
``Origin`` (or ``Referer``) host is compared with the request's own host. Together with
SameSite=Lax session cookies this refuses cross-site form posts, htmx requests and uploads
alike, without touching the body (so it costs nothing per request and never buffers uploads).
"""

from __future__ import annotations

from urllib.parse import urlsplit

from starlette.types import ASGIApp, Message, Receive, Scope, Send

UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})

SECURITY_HEADERS: tuple[tuple[bytes, bytes], ...] = (
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
    (b"x-frame-options", b"DENY"),
    (
        b"content-security-policy",
        b"default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        b"object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'",
    ),
)

REFUSED_BODY = (
    '<!DOCTYPE html><html lang="zh-CN"><meta charset="utf-8"><title>请求被拒绝</title>'
    "<h1>请求被拒绝</h1><p>这个请求来自其他网站，为保护您的信息，本站已拒绝。"
    "请回到本站页面重新操作。</p></html>"
).encode()


def _host_of(url: str) -> str | None:
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    return parts.netloc.lower() or None


def same_origin(headers: dict[bytes, bytes]) -> bool:
    """Whether a state-changing request comes from this site (see the module docstring)."""
    site = headers.get(b"sec-fetch-site")
    if site is not None:
        return site in (b"same-origin", b"none")
    host = headers.get(b"host", b"").decode("latin-1").lower()
    origin = headers.get(b"origin")
    if origin is not None:
        return origin != b"null" and _host_of(origin.decode("latin-1")) == host
    referer = headers.get(b"referer")
    if referer is not None:
        return _host_of(referer.decode("latin-1")) == host
    return True  # not a browser (curl, a test client, a monitoring probe): no ambient cookies


class SecurityMiddleware:
    """Refuse cross-site unsafe requests with 403; add the security headers to every response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if scope["method"] in UNSAFE_METHODS and not same_origin(dict(scope["headers"])):
            await send(
                {
                    "type": "http.response.start",
                    "status": 403,
                    "headers": [
                        (b"content-type", b"text/html; charset=utf-8"),
                        (b"content-length", str(len(REFUSED_BODY)).encode()),
                        *SECURITY_HEADERS,
                    ],
                }
            )
            await send({"type": "http.response.body", "body": REFUSED_BODY})
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                present = {k.lower() for k, _ in message.get("headers", [])}
                extra = [(k, v) for k, v in SECURITY_HEADERS if k not in present]
                message["headers"] = [*message.get("headers", []), *extra]
            await send(message)

        await self.app(scope, receive, send_with_headers)
