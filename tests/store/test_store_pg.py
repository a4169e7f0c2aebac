"""What only the PostgreSQL backend has to show: one-line errors for a wrong URL or a dead
server, the cross-process write lock bounded in time, migrations applied once when several
processes start together, and the same schema as SQLite, column by column."""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Callable
from pathlib import Path

import psycopg
import pytest

from pgtools import PG_URL, drop_schema, new_schema, pg_answers
from yijian.store import Store
from yijian.store.errors import StoreBusy, StoreUnavailable
from yijian.store.pg import WRITE_LOCK_SQL, PgDatabase

pytestmark = pytest.mark.skipif(pg_answers() is not None, reason=f"no PostgreSQL at {PG_URL}")


@pytest.fixture
def schema() -> str:
    name = new_schema()
    yield name  # type: ignore[misc]
    drop_schema(name)


def test_a_dead_server_is_one_line_naming_where() -> None:
    with pytest.raises(StoreUnavailable) as raised:
        Store.open("postgresql://nobody:secret@127.0.0.1:1/nowhere")
    message = str(raised.value)
    assert message.startswith("cannot use PostgreSQL at 127.0.0.1:1/nowhere:")
    assert "\n" not in message and "secret" not in message


def test_a_wrong_database_name_is_one_line() -> None:
    with pytest.raises(StoreUnavailable, match="no_such_database_here"):
        Store.open(PG_URL.rsplit("/", 1)[0] + "/no_such_database_here")


def test_the_write_lock_is_shared_across_processes_and_bounded(schema: str) -> None:
    """Another process holding the store's write lock: a write gives StoreBusy in time."""
    store = Store.open(PG_URL, schema=schema)
    store.db.set_busy_timeout(0.3)
    other = psycopg.connect(PG_URL, autocommit=True)
    try:
        other.execute("BEGIN")
        other.execute(f'SET LOCAL search_path TO "{schema}"')  # type: ignore[arg-type]
        other.execute(WRITE_LOCK_SQL)  # type: ignore[arg-type]
        began = time.monotonic()
        with pytest.raises(StoreBusy):
            store.drafts.create("m", "v1", None)
        with pytest.raises(StoreBusy):
            store.db.probe()
        assert time.monotonic() - began < 3
        assert store.drafts.get("nope") is None  # reads never wait on it
        other.execute("ROLLBACK")
        store.db.probe()  # writable again
        assert store.drafts.create("m", "v1", None).id
    finally:
        other.close()
        store.close()


def test_processes_starting_together_apply_each_migration_once(schema: str) -> None:
    applied: list[list[int]] = []
    errors: list[BaseException] = []
    start = threading.Barrier(4)

    def boot() -> None:
        try:
            start.wait()
            db = PgDatabase(PG_URL, schema=schema)
            applied.append(db.migrate())
            db.close()
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=boot) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    everything = sorted(v for one in applied for v in one)
    assert everything == sorted(set(everything)) and len(everything) >= 13


def _sqlite_schema(path: Path) -> dict[str, object]:
    conn = sqlite3.connect(path)
    tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    columns = {
        t: sorted((r[1], _kind(r[2]), bool(r[3]) or bool(r[5])) for r in conn.execute(
            f"PRAGMA table_info({t})"))
        for t in tables
    }  # fmt: skip
    indexes = {
        r[0] for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL")
    }  # fmt: skip
    triggers = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")}
    conn.close()
    return {"columns": columns, "indexes": indexes, "triggers": triggers}


def _kind(declared: str) -> str:
    d = declared.upper()
    return {"INTEGER": "int", "BIGINT": "int", "TEXT": "text", "BLOB": "bytes", "BYTEA": "bytes"}[d]


def _pg_schema(schema: str) -> dict[str, object]:
    with psycopg.connect(PG_URL) as conn:
        rows = conn.execute(
            "SELECT c.table_name, c.column_name, c.data_type, c.is_nullable = 'NO',"
            " c.collation_name FROM information_schema.columns c WHERE c.table_schema = %s",
            (schema,),
        ).fetchall()
        columns: dict[str, list[tuple[str, str, bool]]] = {}
        for table, column, kind, not_null, collation in rows:
            if kind == "text":
                assert collation == "C", f'{table}.{column} must compare bytes (COLLATE "C")'
            columns.setdefault(table, []).append((column, _kind(kind), not_null))
        indexes = {
            r[0]
            for r in conn.execute(
                "SELECT indexname FROM pg_indexes WHERE schemaname = %s"
                " AND indexdef NOT LIKE '%%UNIQUE INDEX%%\\_pkey%%'",
                (schema,),
            )
        }
        triggers = {
            r[0]
            for r in conn.execute(
                "SELECT DISTINCT trigger_name FROM information_schema.triggers"
                " WHERE trigger_schema = %s",
                (schema,),
            )
        }
    return {
        "columns": {t: sorted(cols) for t, cols in columns.items()},
        "indexes": indexes,
        "triggers": triggers,
    }


def test_the_same_migrations_give_the_same_schema(
    schema: str, tmp_path: Path, open_store: Callable[..., Store]
) -> None:
    Store.open(tmp_path / "s.db").close()
    Store.open(PG_URL, schema=schema).close()
    lite, pg = _sqlite_schema(tmp_path / "s.db"), _pg_schema(schema)
    assert pg["columns"] == lite["columns"]
    assert pg["triggers"] == lite["triggers"]
    # PostgreSQL names the indexes of keys and UNIQUE columns itself; SQLite hides its own
    named = {i for i in pg["indexes"] if not i.endswith(("_pkey", "_key"))}  # type: ignore[union-attr]
    assert named == lite["indexes"]


def test_case_numbers_sort_and_range_by_bytes(schema: str) -> None:
    """Sub-cases are the key range from ``<no>-`` to ``<no>.``: only byte order keeps them
    together (a linguistic collation would sort ``-`` and ``.`` by other rules)."""
    with Store.open(PG_URL, schema=schema) as store:
        draft = store.drafts.create("b", "v1", None)
        kids = tuple({"matter_id": f"m{i}", "version": "1", "summary": {}} for i in range(3))
        case = store.cases.submit(draft, {}, {}, "442000", kids)
        loner = store.cases.submit(store.drafts.create("m", "v1", None), {}, {}, "442000")
        got = store.cases.get(case.case_no)
        assert got is not None and [c.case_no for c in got.children] == [
            f"{case.case_no}-0{i}" for i in range(1, 4)
        ]
        assert store.cases.get(loner.case_no).children == []  # type: ignore[union-attr]
