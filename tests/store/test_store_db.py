"""Opening, migrations and durability of the SQLite store."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from yijian.store import Store
from yijian.store.db import Database
from yijian.store.migrations import MIGRATIONS


def test_open_creates_folder_and_applies_migrations(tmp_path: Path) -> None:
    path = tmp_path / "var" / "nested" / "yijian.db"
    with Store.open(path) as store:
        assert store.path == path
        assert path.exists()
        conn = store.db.conn()
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
        assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        versions = [r[0] for r in conn.execute("SELECT version FROM schema_migrations")]
        assert versions == [v for v, _, _ in MIGRATIONS]


def test_migrations_are_idempotent(tmp_path: Path) -> None:
    path = tmp_path / "y.db"
    Store.open(path).close()
    db = Database(path)
    try:
        assert db.migrate() == []  # nothing left to apply
        assert db.migrate() == []
        count = db.conn().execute("SELECT count(*) FROM schema_migrations").fetchone()[0]
        assert count == len(MIGRATIONS)
    finally:
        db.close()


def test_acknowledged_submission_survives_reopen(tmp_path: Path) -> None:
    path = tmp_path / "y.db"
    store = Store.open(path)
    user = store.users.create("13800138000", "hash", "张三")
    draft = store.drafts.create("m1", "v1", user.id)
    case = store.cases.submit(draft, {"name": "张三"}, {"title": "t"}, "442000")
    # No close(): a crash right after the acknowledgement. A fresh connection from another
    # "process" must see the committed case (WAL + synchronous=FULL).
    other = sqlite3.connect(path)
    try:
        row = other.execute("SELECT case_no FROM cases").fetchone()
    finally:
        other.close()
    assert row == (case.case_no,)
    store.close()
    with Store.open(path) as again:
        got = again.cases.get(case.case_no)
        assert got is not None
        assert got.answers == {"name": "张三"}
        assert again.drafts.get(draft.id).status == "submitted"  # type: ignore[union-attr]


def test_failed_write_rolls_back(tmp_path: Path) -> None:
    with Store.open(tmp_path / "y.db") as store:
        try:
            with store.db.write() as c:
                c.execute(
                    "INSERT INTO users (phone, password_hash, name, created_at)"
                    " VALUES ('13800138000', 'h', 'n', 'now')"
                )
                raise RuntimeError("boom")
        except RuntimeError:
            pass
        assert store.users.by_phone("13800138000") is None
