"""Behind a TLS-terminating reverse proxy (issue 13, item 8): ``Secure`` cookies and HSTS when
a trusted proxy says the browser came over HTTPS; the same headers from anyone else ignored."""

from __future__ import annotations

from pathlib import Path

import pytest
from webtools import BIRTH, SAME_ORIGIN, TestClient

from yijian.cli import build_parser
from yijian.web import Settings, create_app
from yijian.web.security import apply_forwarded, trusted_networks

PROXY = "10.0.0.5"
VIA_TLS = {**SAME_ORIGIN, "x-forwarded-proto": "https", "x-forwarded-for": "198.51.100.7"}


@pytest.fixture
def proxied(web_root: Path, tmp_path: Path):
    settings = Settings(
        root=web_root, db_path=tmp_path / "var" / "y.db", forwarded_allow_ips=("10.0.0.0/24",)
    )
    return create_app(settings)


def cookie_headers(response) -> list[str]:
    return response.headers.get_list("set-cookie")


def test_https_through_the_trusted_proxy_gets_secure_cookies_and_hsts(proxied):
    with TestClient(proxied, client=(PROXY, 40000), headers=VIA_TLS) as c:
        r = c.post(f"/apply/{BIRTH}", follow_redirects=False)
        assert r.status_code == 303
        assert all("secure" in h.lower() for h in cookie_headers(r)), cookie_headers(r)
        assert r.headers["strict-transport-security"] == f"max-age={365 * 86400}"
        data = {"name": "张三", "phone": "13800138111", "password": "zhang-san-2026!"}
        r = c.post("/signup", data=data, follow_redirects=False)
        pending = [h for h in cookie_headers(r) if h.startswith("yj_signup=")]
        assert pending and "secure" in pending[0].lower()
        assert "strict-transport-security" in c.get("/staff/signin").headers


@pytest.mark.parametrize("peer", ["203.0.113.9", "10.0.1.5", "testclient"])
def test_forwarded_headers_from_anyone_else_are_ignored(proxied, peer):
    with TestClient(proxied, client=(peer, 40000), headers=VIA_TLS) as c:
        r = c.post(f"/apply/{BIRTH}", follow_redirects=False)
        assert r.status_code == 303
        assert not any("secure" in h.lower() for h in cookie_headers(r))
        assert "strict-transport-security" not in r.headers


def test_no_proxy_is_trusted_unless_named(app):
    with TestClient(app, client=("127.0.0.1", 40000), headers=VIA_TLS) as c:
        r = c.post(f"/apply/{BIRTH}", follow_redirects=False)
        assert not any("secure" in h.lower() for h in cookie_headers(r))
        assert "strict-transport-security" not in r.headers


def test_the_client_address_is_the_right_most_untrusted_hop():
    nets = trusted_networks(["10.0.0.0/24", "::1"])
    scope = {
        "client": (PROXY, 1),
        "scheme": "http",
        "headers": [(b"x-forwarded-for", b"1.2.3.4, 198.51.100.7, 10.0.0.9")],
    }
    apply_forwarded(scope, nets)
    assert scope["client"][0] == "198.51.100.7"  # 1.2.3.4 was written by the client itself
    spoofed = {"client": ("203.0.113.9", 1), "scheme": "http", "headers": scope["headers"]}
    apply_forwarded(spoofed, nets)
    assert spoofed["client"][0] == "203.0.113.9"


def test_the_serve_command_takes_the_proxy_list():
    args = build_parser().parse_args(["serve", "--forwarded-allow-ips", "10.0.0.5,10.1.0.0/16"])
    assert args.forwarded_allow_ips == "10.0.0.5,10.1.0.0/16"
    assert build_parser().parse_args(["serve"]).forwarded_allow_ips is None
