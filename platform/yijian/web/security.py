"""Cross-origin protection and security headers, as one small pure-ASGI middleware.

Why not a CSRF token library: the token libraries either cannot serve the first page without
JavaScript or fail on multipart bodies with the current python-multipart. Browsers
now say where a request comes from (``Sec-Fetch-Site``); where an old browser does not, the
``Origin`` (or ``Referer``) host is compared with the request's own host. Together with
SameSite=Lax session cookies this refuses cross-site form posts, htmx requests and uploads
alike, without touching the body (so it costs nothing per request and never buffers uploads).

Behind a TLS-terminating reverse proxy the app sees plain HTTP from the proxy. Which peers may
say otherwise is explicit (``Settings.forwarded_allow_ips``, ``yijian serve
--forwarded-allow-ips``): only a request whose TCP peer is listed has its
``X-Forwarded-Proto`` and ``X-Forwarded-For`` believed; from anyone else they are ignored (a
client could send them to pass for HTTPS or for another address). A request that is HTTPS,
directly or by a trusted proxy's word, gets ``Strict-Transport-Security`` and ``Secure``
cookies (``is_https``).
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from typing import Any
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

#: ``Strict-Transport-Security`` max-age on HTTPS responses (a year; 0 leaves it out).
HSTS_MAX_AGE = 365 * 86400

REFUSED_BODY = (
    '<!DOCTYPE html><html lang="zh-CN"><meta charset="utf-8"><title>请求被拒绝</title>'
    "<h1>请求被拒绝</h1><p>这个请求来自其他网站，为保护您的信息，本站已拒绝。"
    "请回到本站页面重新操作。</p></html>"
).encode()


def trusted_networks(
    spec: Iterable[str],
) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...] | None:
    """The proxies to believe, from ``["10.0.0.1", "10.1.0.0/16"]`` or ``"10.0.0.1,::1"``
    items; None means every peer (``*``, for a proxy on a private network only)."""
    nets = []
    for item in spec:
        for part in str(item).split(","):
            part = part.strip()
            if part == "*":
                return None
            if part:
                nets.append(ipaddress.ip_network(part, strict=False))
    return tuple(nets)


def _peer_trusted(scope: Scope, nets: Any) -> bool:
    client = scope.get("client")
    if nets is None:
        return True
    if not nets or not client:
        return False
    try:
        peer = ipaddress.ip_address(client[0])
    except ValueError:
        return False
    return any(peer in net for net in nets)


def apply_forwarded(scope: Scope, nets: Any) -> None:
    """Take scheme and client address from a trusted proxy's ``X-Forwarded-*`` headers."""
    if not _peer_trusted(scope, nets):
        return
    headers = dict(scope["headers"])
    proto = headers.get(b"x-forwarded-proto")
    if proto is not None:
        value = proto.decode("latin-1").split(",")[-1].strip().lower()
        if value in ("http", "https"):
            scope["scheme"] = value
    forwarded_for = headers.get(b"x-forwarded-for")
    if forwarded_for is None:
        return
    client = None
    for hop in reversed(forwarded_for.decode("latin-1").split(",")):
        try:  # the right-most hop that is not one of our proxies is the client
            address = ipaddress.ip_address(hop.strip())
        except ValueError:
            break
        client = str(address)
        if nets is None or not any(address in net for net in nets):
            break
    if client is not None:
        scope["client"] = (client, scope["client"][1] if scope.get("client") else 0)


def settings_value(settings: Any, name: str, default: Any) -> Any:
    return getattr(settings, name, default) if settings is not None else default


def is_https(scope: Scope) -> bool:
    """Whether the browser reached the site over HTTPS (directly or through a trusted proxy):
    cookies then get ``Secure``."""
    return scope.get("scheme") in ("https", "wss")


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
    """Refuse cross-site unsafe requests with 403; add the security headers to every response.

    First of all, it believes a trusted proxy's ``X-Forwarded-*`` (see the module docstring),
    reading the setting from the app's ``state.settings`` (or ``forwarded_allow_ips``)."""

    def __init__(
        self,
        app: ASGIApp,
        forwarded_allow_ips: Iterable[str] | None = None,
        hsts_max_age: int | None = None,
    ) -> None:
        self.app = app
        self._allow = forwarded_allow_ips
        self._hsts = hsts_max_age
        self._nets: Any = ()
        self._ready = False

    def _setup(self, scope: Scope) -> None:
        """Read what was not given from the app's settings (first request: the app exists)."""
        settings = getattr(getattr(scope.get("app"), "state", None), "settings", None)
        allow = (
            self._allow
            if self._allow is not None
            else settings_value(settings, "forwarded_allow_ips", ())
        )
        self._nets = trusted_networks(allow)
        if self._hsts is None:
            self._hsts = int(settings_value(settings, "hsts_max_age", HSTS_MAX_AGE))
        self._ready = True

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if not self._ready:
            self._setup(scope)
        apply_forwarded(scope, self._nets)
        headers = SECURITY_HEADERS
        if is_https(scope) and self._hsts:
            hsts = f"max-age={self._hsts}".encode()
            headers = (*SECURITY_HEADERS, (b"strict-transport-security", hsts))
        if scope["method"] in UNSAFE_METHODS and not same_origin(dict(scope["headers"])):
            await send(
                {
                    "type": "http.response.start",
                    "status": 403,
                    "headers": [
                        (b"content-type", b"text/html; charset=utf-8"),
                        (b"content-length", str(len(REFUSED_BODY)).encode()),
                        *headers,
                    ],
                }
            )
            await send({"type": "http.response.body", "body": REFUSED_BODY})
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                present = {k.lower() for k, _ in message.get("headers", [])}
                extra = [(k, v) for k, v in headers if k not in present]
                message["headers"] = [*message.get("headers", []), *extra]
            await send(message)

        await self.app(scope, receive, send_with_headers)
