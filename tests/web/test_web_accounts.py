"""Sign-up, sign-in and sign-out through a tiny Starlette app mounting the account routes."""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from starlette.applications import Starlette
from starlette.exceptions import StarletteDeprecationWarning
from starlette.templating import Jinja2Templates
from webtools import sign_up

from yijian.store import Store
from yijian.web.auth import COOKIE, PasswordIdentity, current_user
from yijian.web.citizen.accounts import account_routes, normalize_phone, safe_next
from yijian.web.citizen.cases import case_routes

with warnings.catch_warnings():
    # Starlette 1.x asks for `httpx2`; the venv has httpx, which still works. Not ours to change.
    warnings.simplefilter("ignore", StarletteDeprecationWarning)
    from starlette.testclient import TestClient

TEMPLATES = Path(__file__).resolve().parents[2] / "themes" / "default" / "templates"
FAST = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)  # tests only


@pytest.fixture
def store(tmp_path: Path):
    s = Store.open(tmp_path / "y.db")
    yield s
    s.close()


def make_app(store: Store, hasher: PasswordHasher = FAST) -> Starlette:
    app = Starlette(routes=[*account_routes(), *case_routes()])
    app.state.store = store
    app.state.templates = Jinja2Templates(directory=str(TEMPLATES))
    app.state.identity = PasswordIdentity(store, hasher)
    return app


def signup(client: TestClient, phone: str = "13800138000", password: str = "correct horse"):
    return sign_up(client, "张三", phone, password)


def test_signup_signs_in_with_argon2id(store: Store) -> None:
    with TestClient(make_app(store, PasswordHasher())) as client:  # real defaults once
        page = client.get("/signup")
        assert page.status_code == 200 and 'for="phone"' in page.text and "注册账号" in page.text
        r = signup(client, phone="+86 138-0013-8000")
        assert r.status_code == 303 and r.headers["location"] == "/my"
        cookie = r.headers["set-cookie"]
        assert cookie.startswith(f"{COOKIE}=") and "HttpOnly" in cookie
        assert "SameSite=lax" in cookie and "Path=/" in cookie and "Secure" not in cookie
        user = store.users.by_phone("13800138000")
        assert user is not None and user.password_hash.startswith("$argon2id$")
        assert client.get("/my").status_code == 200


def test_signup_errors(store: Store) -> None:
    with TestClient(make_app(store)) as client:
        r = client.post("/signup", data={"name": "", "phone": "12345", "password": "short"})
        assert r.status_code == 400
        assert "请修改以下问题" in r.text and 'href="#phone"' in r.text
        assert (
            "请输入姓名" in r.text
            and "请输入 11 位手机号码" in r.text
            and "密码至少 8 位" in r.text
        )
        signup(client)
    with TestClient(make_app(store)) as other:
        # a registered phone: the same reply as any sign-up, the holder is texted instead
        taken = {"name": "李四", "phone": "13800138000", "password": "another horse"}
        first = other.post("/signup", data=taken, follow_redirects=False)
        new = {**taken, "phone": "13800138009"}
        fresh = other.post("/signup", data=new, follow_redirects=False)
        assert first.status_code == fresh.status_code == 303
        assert first.headers["location"] == fresh.headers["location"] == "/signup/verify?next=/my"
        page = other.get("/signup/verify")
        assert "138****8009" in page.text  # the last sign-up of this browser
        sent = [(r.recipient, r.template) for r in store.outbox.claim("t", limit=50)]
        assert ("13800138000", "signup_existing") in sent and ("13800138009", "signup_code") in sent
        assert sent.count(("13800138000", "signup_code")) == 1  # the first sign-up's, no other
        wrong = other.post("/signup/verify", data={"code": "000000"})
        assert wrong.status_code == 400 and "验证码不正确或已过期" in wrong.text


def test_signin_same_message_for_unknown_phone_and_wrong_password(store: Store) -> None:
    with TestClient(make_app(store)) as client:
        signup(client)
    with TestClient(make_app(store)) as client:
        wrong = client.post("/signin", data={"phone": "13800138000", "password": "wrong pass"})
        unknown = client.post("/signin", data={"phone": "13900139000", "password": "wrong pass"})
        assert wrong.status_code == unknown.status_code == 400
        assert "手机号码或密码不正确" in wrong.text and "手机号码或密码不正确" in unknown.text
        assert COOKIE not in client.cookies
        r = client.post(
            "/signin?next=/drafts/abc/page-2",
            data={"phone": "13800138000", "password": "correct horse"},
            follow_redirects=False,
        )
        assert r.status_code == 303 and r.headers["location"] == "/drafts/abc/page-2"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("/drafts/x", "/drafts/x"),
        ("//evil.example/x", "/my"),
        ("https://evil.example/", "/my"),
        ("/\\evil.example", "/my"),
        ("javascript:alert(1)", "/my"),
        (None, "/my"),
        ("/a\nb", "/my"),
    ],
)
def test_safe_next(value: str | None, expected: str) -> None:
    assert safe_next(value) == expected


def test_normalize_phone() -> None:
    assert normalize_phone("+86 138-0013-8000") == "13800138000"
    assert normalize_phone("8613800138000") == "13800138000"


def test_signin_rotates_session_and_signout(store: Store) -> None:
    with TestClient(make_app(store)) as client:
        signup(client)
        first = client.cookies[COOKIE]
        client.post("/signin", data={"phone": "13800138000", "password": "correct horse"})
        second = client.cookies[COOKIE]
        assert first != second and store.sessions.get(first) is None  # no session fixation
        r = client.post("/signout", follow_redirects=False)
        assert r.status_code == 303 and store.sessions.get(second) is None
        assert client.get("/my", follow_redirects=False).headers["location"] == "/signin?next=/my"


def test_signout_everywhere_bumps_version(store: Store) -> None:
    app = make_app(store)
    with TestClient(app) as laptop, TestClient(app) as phone:
        signup(laptop)
        phone.post("/signin", data={"phone": "13800138000", "password": "correct horse"})
        assert phone.get("/my").status_code == 200
        laptop.post("/signout", data={"everywhere": "1"})
        assert phone.get("/my", follow_redirects=False).status_code == 303


def test_current_user_reads_cookie(store: Store) -> None:
    user = store.users.create("13800138000", "h", "张三")
    session = store.sessions.create(user.id)
    app = make_app(store)

    async def who(request):  # type: ignore[no-untyped-def]
        from starlette.responses import PlainTextResponse

        found = current_user(request)
        return PlainTextResponse(str(found.id) if found else "-")

    app.add_route("/who", who)
    with TestClient(app) as client:
        assert client.get("/who").text == "-"
        client.cookies.set(COOKIE, session)
        assert client.get("/who").text == str(user.id)
        client.cookies.set(COOKIE, "forged")
        assert client.get("/who").text == "-"
