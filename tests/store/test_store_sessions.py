"""Users and sessions: version bump signs out everywhere, expiry, revocation."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

import pytest

from yijian.store import CHINA_TZ, PhoneTaken, Store


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 3, 2, 9, 0, tzinfo=CHINA_TZ)

    def __call__(self) -> datetime:
        return self.now


def test_users(open_store: Callable[..., Store]) -> None:
    with open_store() as store:
        user = store.users.create("13800138000", "argon-hash", "张三")
        assert store.users.by_phone("13800138000") == user
        assert store.users.get(user.id) == user
        assert store.users.get(999) is None
        with pytest.raises(PhoneTaken):
            store.users.create("13800138000", "x", "李四")
        assert "13800138000" not in repr(user) and "argon" not in repr(user)


def test_sessions_version_expiry_revoke(open_store: Callable[..., Store]) -> None:
    clock = Clock()
    with open_store(clock=clock) as store:
        user = store.users.create("13800138000", "h", "张三")
        phone_a = store.sessions.create(user.id)
        phone_b = store.sessions.create(user.id)
        assert phone_a != phone_b and len(phone_a) == 43
        assert store.sessions.get(phone_a).id == user.id  # type: ignore[union-attr]
        stored = [r[0] for r in store.db.conn().execute("SELECT id FROM sessions")]
        assert phone_a not in stored  # only the sha256 is stored

        store.sessions.revoke(phone_a)
        assert store.sessions.get(phone_a) is None
        assert store.sessions.get(phone_b) is not None

        store.users.bump_session_version(user.id)  # 退出所有设备
        assert store.sessions.get(phone_b) is None
        fresh = store.sessions.create(user.id)
        assert store.sessions.get(fresh).session_version == 2  # type: ignore[union-attr]

        clock.now += timedelta(days=13, hours=23)
        assert store.sessions.get(fresh) is not None
        clock.now += timedelta(hours=2)
        assert store.sessions.get(fresh) is None
        assert store.sessions.get("") is None
