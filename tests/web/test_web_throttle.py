"""Sign-in throttling and codes (issue 13, item 5): counted in the store, growing delays, a
lock with a message to the holder, load shed before the argon2 pool, no sleeps (the store's
clock is moved instead)."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import anyio
import pytest
from argon2 import PasswordHasher
from webtools import SAME_ORIGIN, TestClient

from asynctools import run_async
from yijian.store import CHINA_TZ, Store
from yijian.store.passwords import Passwords
from yijian.store.throttle import ACCOUNT, CLIENT, LINK, Throttle
from yijian.web import Settings, create_app
from yijian.web.auth import PasswordIdentity
from yijian.web.throttling import MAX_QUEUED_CHECKS, SignInGuard

FAST = Passwords(PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))  # tests only
PHONE = "13800138123"
RIGHT = "zhang-san-2026!"


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 12, 5, 9, 0, tzinfo=CHINA_TZ)

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def site(web_root: Path, tmp_path: Path):
    app = create_app(Settings(root=web_root, db_path=tmp_path / "var" / "y.db"))
    clock = Clock()
    app.state.store.db.clock = clock
    app.state.identity = PasswordIdentity(app.state.store, FAST)
    app.state.passwords = FAST
    app.state.store.users.create(PHONE, FAST.hash(RIGHT), "张三")
    with TestClient(app, headers=SAME_ORIGIN) as client:
        yield app, client, clock


def sign_in(client: TestClient, password: str, phone: str = PHONE):
    return client.post(
        "/signin", data={"phone": phone, "password": password}, follow_redirects=False
    )


def test_wrong_passwords_slow_down_then_lock_and_the_holder_is_told(site):
    app, client, clock = site
    for _ in range(ACCOUNT.free):
        assert sign_in(client, "wrong-password").status_code == 400
    refused = sign_in(client, RIGHT)  # even the right one waits: nothing is checked
    assert refused.status_code == 429 and int(refused.headers["retry-after"]) >= 1
    assert "尝试次数过多" in refused.text
    for _ in range(ACCOUNT.lock_after - ACCOUNT.free):  # each wait served, then a failure
        clock.now += timedelta(seconds=ACCOUNT.max_delay_s + 1)
        assert sign_in(client, "wrong-password").status_code == 400
    clock.now += timedelta(seconds=ACCOUNT.max_delay_s + 1)
    locked = sign_in(client, RIGHT)
    assert locked.status_code == 429
    assert int(locked.headers["retry-after"]) > ACCOUNT.max_delay_s
    sent = app.state.store.db.conn().execute("SELECT template, recipient FROM outbox").fetchall()
    assert [tuple(r) for r in sent] == [("signin_locked", PHONE)]
    clock.now += timedelta(seconds=ACCOUNT.lock_s + 1)
    assert sign_in(client, RIGHT).status_code == 303


def test_one_client_trying_many_accounts_is_slowed(site):
    _, client, _ = site
    for n in range(CLIENT.free):
        assert sign_in(client, "wrong-password", phone=f"1390000{n:04d}").status_code == 400
    assert sign_in(client, RIGHT).status_code == 429  # another account, the same client


def test_an_unknown_phone_is_throttled_alike_and_nobody_is_told(site):
    app, client, clock = site
    for _ in range(ACCOUNT.lock_after):
        clock.now += timedelta(seconds=ACCOUNT.max_delay_s + 1)
        sign_in(client, "wrong-password", phone="13911112222")
    assert sign_in(client, "x", phone="13911112222").status_code == 429
    assert app.state.store.db.conn().execute("SELECT COUNT(*) FROM outbox").fetchone()[0] == 0


def test_counters_hold_across_processes(tmp_path: Path):
    """Two stores on one file, as two app processes: a failure seen by one holds in both."""
    with Store.open(tmp_path / "y.db") as one, Store.open(tmp_path / "y.db") as two:
        keys = [("citizen:account:13800000000", ACCOUNT)]
        for _ in range(ACCOUNT.free):
            Throttle(one.db).fail(keys)
        assert Throttle(two.db).wait_s(keys) > 0
        assert Throttle(two.db).wait_s([("citizen:account:13800000001", ACCOUNT)]) == 0


def test_checks_beyond_the_queue_are_shed_before_the_pool(tmp_path: Path):
    with Store.open(tmp_path / "y.db") as store:
        guard = SignInGuard(store, "test", lambda s, a: None)
        entered = 0
        answers: list[int] = []

        async def main() -> None:
            release = anyio.Event()

            async def check() -> None:
                nonlocal entered
                entered += 1
                await release.wait()

            async def one(n: int) -> None:
                try:
                    await guard.attempt(f"account-{n}", check)
                    answers.append(200)
                except Exception as exc:
                    answers.append(getattr(exc, "status_code", 0))

            async with anyio.create_task_group() as tg:
                for n in range(3 * MAX_QUEUED_CHECKS):
                    tg.start_soon(one, n)
                with anyio.fail_after(10):
                    while len(answers) < 2 * MAX_QUEUED_CHECKS:
                        await anyio.sleep(0)  # yield: the shed ones answer at once
                release.set()

        run_async(main)
        assert entered == MAX_QUEUED_CHECKS
        assert answers.count(503) == 2 * MAX_QUEUED_CHECKS


def test_staff_sign_in_is_throttled_too(site):
    app, client, clock = site
    app.state.store.staff.add("wang", "王芳", FAST.hash(RIGHT), actor="test", phone=PHONE)

    def staff(password: str):
        data = {"login": "wang", "password": password, "next": "/staff"}
        return client.post("/staff/signin", data=data, follow_redirects=False)

    for _ in range(ACCOUNT.free):
        assert staff("wrong-password").status_code == 400
    assert staff(RIGHT).status_code == 429
    clock.now += timedelta(seconds=ACCOUNT.max_delay_s + 1)
    assert staff(RIGHT).status_code == 303
    # the citizens' counters are apart: the same phone signs in as a citizen at once
    assert sign_in(client, RIGHT).status_code == 303


def test_guessing_resume_links_is_throttled(site):
    _, client, _ = site
    for n in range(LINK.free):
        assert client.get(f"/resume/guess{n:04d}", follow_redirects=False).status_code == 410
    r = client.get("/resume/guess-again", follow_redirects=False)
    assert r.status_code == 429 and "retry-after" in r.headers


@pytest.mark.parametrize(
    "password", ["12345678", "password", "Password1", "aaaaaaaa", "13800138999x"]
)
def test_common_and_trivial_passwords_are_refused_at_sign_up(site, password):
    app, client, _ = site
    data = {"name": "李四", "phone": "13800138999", "password": password}
    r = client.post("/signup", data=data, follow_redirects=False)
    assert r.status_code == 400
    assert "太常见" in r.text or "重复或连续" in r.text or "包含手机号码" in r.text
    assert 'value="13800138999"' in r.text  # the form again, with what was typed
    assert app.state.store.users.by_phone("13800138999") is None


def test_signing_up_with_a_registered_phone_tells_its_holder(site):
    app, client, _ = site
    data = {"name": "冒名者", "phone": PHONE, "password": "another-long-pw"}
    r = client.post("/signup", data=data, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/signup/verify")
    sent = app.state.store.db.conn().execute("SELECT template, recipient FROM outbox").fetchall()
    assert [tuple(r) for r in sent] == [("signup_existing", PHONE)]


def test_sign_ups_from_one_client_are_throttled(site):
    """Every sign-up texts a phone: a client gets a few an hour, whichever phones."""
    _, client, _ = site
    for n in range(LINK.free):
        data = {"name": "李四", "phone": f"1380013{8000 + n:04d}", "password": "another-long-pw"}
        assert client.post("/signup", data=data, follow_redirects=False).status_code == 303
    assert client.post("/signup", data=data).status_code == 429


def test_only_wrong_guesses_count_not_requests_that_cannot_even_open_the_draft():
    from yijian.web.throttling import _code_keys

    scope = {
        "method": "POST",
        "path": "/drafts/abcdefghij1234/assist-confirm",
        "client": ("1.2.3.4", 1),
    }
    success, failure, keys = _code_keys(scope)
    assert (success, failure) == ({303}, {400})  # a 404 (not this browser's draft) is neither
    assert [k for k, _ in keys] == ["code:assist-code:abcdefghij1234", "code:assist-client:1.2.3.4"]
