"""Every store test runs on both backends: SQLite (a file under tmp_path) and PostgreSQL (a
fresh schema on the test server, dropped afterwards). ``open_store`` opens the same database
again when asked for the same name, as a second process would."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from pgtools import PG_URL, drop_schema, intruder_pg, new_schema, pg_answers
from yijian.store import Store


@pytest.fixture(params=["sqlite", "postgresql"])
def backend(request: pytest.FixtureRequest) -> str:
    if request.param == "postgresql":
        why = pg_answers()
        if why is not None:
            pytest.skip(f"PostgreSQL at {PG_URL} does not answer: {why}")
    return str(request.param)


@pytest.fixture
def open_store(backend: str, tmp_path: Path) -> Iterator[Callable[..., Store]]:
    """``open_store(name="y", clock=...)``: a Store on this test's database ``name``."""
    schemas: dict[str, str] = {}
    opened: list[Store] = []

    def _open(name: str = "y", **kw: Any) -> Store:
        if backend == "sqlite":
            store = Store.open(tmp_path / "db" / f"{name}.db", **kw)
        else:
            schema = schemas.setdefault(name, new_schema())
            store = Store.open(PG_URL, schema=schema, files=tmp_path / "files", **kw)
        opened.append(store)
        return store

    yield _open
    for store in opened:
        with contextlib.suppress(Exception):  # already closed by the test
            store.close()
    for schema in schemas.values():
        drop_schema(schema)


@pytest.fixture
def intruder(backend: str, tmp_path: Path) -> Callable[[Store], Any]:
    """A plain connection to a store's database, outside the store (as an intruder's)."""
    import sqlite3

    opened: list[Any] = []

    def _connect(store: Store) -> Any:
        if backend == "sqlite":
            conn: Any = sqlite3.connect(store.path, isolation_level=None)
        else:
            conn = intruder_pg(store.db.schema)  # type: ignore[attr-defined]
        opened.append(conn)
        return conn

    yield _connect
    for conn in opened:
        conn.close()
