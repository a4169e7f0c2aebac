"""Staff in the store: grants, sessions revoked on disable and password change, the audit chain."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable
from datetime import datetime, timedelta

import pytest

from yijian.store import CHINA_TZ, Store
from yijian.store.staff import STAFF_SESSION_HOURS, GrantExists, LoginTaken, StaffNotFound

ADMIN = "cli:root"


def _on(store: Store, table: str) -> str:
    """PostgreSQL names a trigger's table in DROP TRIGGER; SQLite does not."""
    return f" ON {table}" if store.backend == "postgresql" else ""


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 3, 2, 9, 0, tzinfo=CHINA_TZ)

    def __call__(self) -> datetime:
        return self.now


def test_add_with_grants_and_list(open_store: Callable[..., Store]) -> None:
    with open_store() as store:
        wang = store.staff.add(
            "wang", "王芳", "hash-w", actor=ADMIN, phone="13800138000",
            grants=[("clerk", "110105", None), ("reviewer", "110105", "mca")],
        )  # fmt: skip
        assert [(g.role, g.region, g.department) for g in wang.grants] == [
            ("clerk", "110105", None),
            ("reviewer", "110105", "mca"),
        ]
        assert "13800138000" not in repr(wang) and "hash-w" not in repr(wang)
        li = store.staff.add("li", "李明", "hash-l", actor=ADMIN)
        assert [m.login for m in store.staff.members()] == ["li", "wang"]
        assert store.staff.by_login("li") == li and store.staff.get(wang.id) == wang
        assert store.staff.get(999) is None and store.staff.by_login("nobody") is None
        with pytest.raises(LoginTaken):
            store.staff.add("wang", "另一个王芳", "h", actor=ADMIN)


def test_schema_refuses_a_bad_role_and_department_rules(open_store: Callable[..., Store]) -> None:
    with open_store() as store:
        m = store.staff.add("wang", "王芳", "h", actor=ADMIN)
        with pytest.raises(ValueError, match="unknown role"):
            store.staff.grant(m.id, "boss", "110105", None, actor=ADMIN)
        with pytest.raises(sqlite3.IntegrityError):  # a reviewer needs a department
            store.staff.grant(m.id, "reviewer", "110105", None, actor=ADMIN)
        with pytest.raises(sqlite3.IntegrityError):  # and only a reviewer has one
            store.staff.grant(m.id, "clerk", "110105", "mca", actor=ADMIN)
        store.staff.grant(m.id, "clerk", "110105", None, actor=ADMIN)
        with pytest.raises(GrantExists):
            store.staff.grant(m.id, "clerk", "110105", None, actor=ADMIN)
        with pytest.raises(StaffNotFound):
            store.staff.grant(999, "clerk", "110105", None, actor=ADMIN)


def test_revoke(open_store: Callable[..., Store]) -> None:
    with open_store() as store:
        m = store.staff.add("wang", "王芳", "h", actor=ADMIN, grants=[("clerk", "110105", None)])
        gone = store.staff.revoke(m.grants[0].id, actor=ADMIN)
        assert gone == m.grants[0]
        assert store.staff.get(m.id).grants == ()  # type: ignore[union-attr]
        assert store.staff.revoke(m.grants[0].id, actor=ADMIN) is None


def test_sessions_end_on_disable_password_and_expiry(open_store: Callable[..., Store]) -> None:
    clock = Clock()
    with open_store(clock=clock) as store:
        m = store.staff.add("wang", "王芳", "h", actor=ADMIN, grants=[("clerk", "110105", None)])
        a, b = store.staff.create_session(m.id), store.staff.create_session(m.id)
        assert a and b and a != b
        signed_in = store.staff.session(a)
        assert signed_in is not None and signed_in.grants == m.grants
        stored = [r[0] for r in store.db.conn().execute("SELECT id FROM staff_sessions")]
        assert a not in stored  # only sha256(session id)
        assert store.sessions.get(a) is None  # a staff session is no citizen session

        store.staff.end_session(a)
        assert store.staff.session(a) is None and store.staff.session(b) is not None

        assert store.staff.set_disabled(m.id, True, actor=ADMIN)
        assert store.staff.session(b) is None
        assert store.staff.create_session(m.id) is None  # no sign-in while disabled
        assert not store.staff.set_disabled(m.id, True, actor=ADMIN)  # nothing changed
        assert store.staff.set_disabled(m.id, False, actor=ADMIN)
        assert store.staff.session(b) is None  # enabling again does not revive old sessions

        c = store.staff.create_session(m.id)
        assert c is not None and store.staff.session(c) is not None
        store.staff.set_password_hash(m.id, "new-hash", actor=ADMIN)
        assert store.staff.session(c) is None
        assert store.staff.get(m.id).password_hash == "new-hash"  # type: ignore[union-attr]

        d = store.staff.create_session(m.id)
        assert d is not None
        clock.now += timedelta(hours=STAFF_SESSION_HOURS, seconds=1)
        assert store.staff.session(d) is None
        assert store.staff.session("") is None and store.staff.session("x" * 200) is None
        with pytest.raises(StaffNotFound):
            store.staff.set_disabled(999, True, actor=ADMIN)


def test_disable_in_another_process_is_seen_at_once(open_store: Callable[..., Store]) -> None:
    with open_store() as web, open_store() as cli:
        m = web.staff.add("wang", "王芳", "h", actor=ADMIN)
        sid = web.staff.create_session(m.id)
        assert sid and web.staff.session(sid) is not None
        cli.staff.set_disabled(m.id, True, actor=ADMIN)
        assert web.staff.session(sid) is None


def test_rehash_is_not_audited_and_loses_to_a_new_password(
    open_store: Callable[..., Store],
) -> None:
    with open_store() as store:
        m = store.staff.add("wang", "王芳", "old", actor=ADMIN)
        sid = store.staff.create_session(m.id)
        store.staff.rehash(m.id, "old", "old-rehashed")
        assert store.staff.session(sid or "") is not None  # no sign-out
        store.staff.rehash(m.id, "old", "stale")  # the hash moved on: no effect
        assert store.staff.get(m.id).password_hash == "old-rehashed"  # type: ignore[union-attr]
        assert [e.kind for e in store.staff.audit(m.id)] == ["staff_added", "signed_in"]


def test_audit_trail_names_the_actor_and_is_chained(open_store: Callable[..., Store]) -> None:
    with open_store() as store:
        m = store.staff.add("wang", "王芳", "secret-hash", actor=ADMIN)
        g = store.staff.grant(m.id, "reviewer", "110105", "mca", actor="staff:7")
        store.staff.revoke(g.id, actor="staff:7")
        store.staff.set_password_hash(m.id, "h2", actor="staff:7")
        store.staff.set_disabled(m.id, True, actor="staff:7")
        other = store.staff.add("li", "李明", "h", actor=ADMIN)
        trail = store.staff.audit()
        assert [(e.kind, e.actor, e.subject) for e in trail] == [
            ("staff_added", ADMIN, m.id),
            ("grant_added", "staff:7", m.id),
            ("grant_revoked", "staff:7", m.id),
            ("password_set", "staff:7", m.id),
            ("staff_disabled", "staff:7", m.id),
            ("staff_added", ADMIN, other.id),
        ]
        assert trail[1].data == {"role": "reviewer", "region": "110105", "department": "mca"}
        assert len(store.staff.audit(other.id)) == 1
        assert store.staff.verify_audit()
        dump = "".join(str(e.data) for e in trail)
        assert "secret-hash" not in dump and "h2" not in dump

        conn = store.db.conn()
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            conn.execute("UPDATE staff_audit SET actor = 'staff:1' WHERE seq = 2")
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            conn.execute("DELETE FROM staff_audit WHERE seq = 2")
        # someone who drops the trigger can rewrite history, but the chain shows it
        conn.execute("DROP TRIGGER staff_audit_no_update" + _on(store, "staff_audit"))
        conn.execute("UPDATE staff_audit SET actor = 'staff:1' WHERE seq = 2")
        assert not store.staff.verify_audit()


def test_an_audit_entry_needs_an_actor(open_store: Callable[..., Store]) -> None:
    with open_store() as store, pytest.raises(ValueError, match="actor"):
        store.staff.add("wang", "王芳", "h", actor="")
    with open_store() as store:
        assert store.staff.members() == []  # rolled back whole


def test_concurrent_changes_keep_one_unbroken_chain(open_store: Callable[..., Store]) -> None:
    with open_store() as store:
        members = [store.staff.add(f"s{i}", "王芳", "h", actor=ADMIN) for i in range(8)]

        def work(i: int) -> None:
            m = members[i]
            store.staff.grant(m.id, "clerk", "110105", None, actor=f"staff:{i}")
            store.staff.create_session(m.id)
            store.staff.set_disabled(m.id, True, actor=f"staff:{i}")

        threads = [threading.Thread(target=work, args=(i,)) for i in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        trail = store.staff.audit()
        assert len(trail) == 8 + 8 * 3
        assert [e.seq for e in trail] == list(range(1, len(trail) + 1))
        assert store.staff.verify_audit()
