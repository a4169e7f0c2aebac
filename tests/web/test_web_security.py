"""Cross-origin protection on every unsafe method, and the security headers."""

from __future__ import annotations

import pytest
from webtools import BIRTH, start


@pytest.mark.parametrize(
    "headers",
    [
        {"sec-fetch-site": "same-origin"},
        {"sec-fetch-site": "none"},
        {"origin": "http://testserver"},
        {"referer": "http://testserver/matters/x"},
        {},  # not a browser
    ],
)
def test_same_origin_posts_pass(client, headers):
    client.headers.pop("sec-fetch-site", None)
    r = client.post(f"/apply/{BIRTH}", headers=headers, follow_redirects=False)
    assert r.status_code == 303


@pytest.mark.parametrize(
    "headers",
    [
        {"sec-fetch-site": "cross-site"},
        {"sec-fetch-site": "same-site"},
        {"origin": "https://evil.example"},
        {"origin": "null"},
        {"referer": "https://evil.example/form.html"},
    ],
)
def test_cross_site_posts_are_refused(client, headers):
    client.headers.pop("sec-fetch-site", None)
    for method in ("POST", "PUT", "PATCH", "DELETE"):
        r = client.request(method, f"/apply/{BIRTH}", headers=headers)
        assert r.status_code == 403 and "请求被拒绝" in r.text


def test_htmx_plain_and_multipart_posts_pass(client):
    draft_id, _ = start(client, BIRTH)
    base = {"sec-fetch-site": "same-origin"}
    r = client.post(
        f"/drafts/{draft_id}/child/change?field=child.name",
        data={"child.name": "甲"},
        headers={**base, "hx-request": "true"},
    )
    assert r.status_code == 200
    r = client.post(f"/drafts/{draft_id}/child", data={"_action": "refresh"}, headers=base)
    assert r.status_code == 200
    r = client.post(
        f"/drafts/{draft_id}/child",
        data={"_action": "refresh"},
        files={"x": ("a.txt", b"abc", "text/plain")},
        headers=base,
    )
    assert r.status_code == 200


def test_security_headers_on_every_response(client):
    for url in ("/", "/matters/" + BIRTH, "/static/yijian.css", "/nope"):
        r = client.get(url)
        assert r.headers["x-content-type-options"] == "nosniff"
        assert r.headers["referrer-policy"] == "same-origin"
        assert "default-src 'self'" in r.headers["content-security-policy"]


def test_draft_cookie_is_httponly_and_lax(client):
    r = client.post(f"/apply/{BIRTH}", follow_redirects=False)
    cookie = r.headers["set-cookie"].lower()
    assert "yj_drafts=" in cookie and "httponly" in cookie and "samesite=lax" in cookie
