"""The PostgreSQL database under the store: the same contract as ``store.db.Database``.

Why it looks like this:

* **Writes are serialised across every process** by a transaction-level advisory lock
  (``pg_advisory_xact_lock``) taken right after ``BEGIN``, the twin of SQLite's single writer.
  The store's modules were written against one writer at a time (a case number is the last
  one plus one, an event's ``prev_hash`` is the chain's head, an outbox row is claimed by a
  lease), and keeping that contract keeps every guarantee without rewriting them for
  concurrent writers; the lock is released by ``COMMIT`` or ``ROLLBACK`` and so can never be
  left behind by a killed process. Reads never take it. Within one process a Python lock
  queues the threads first, so only one pooled connection waits on the advisory lock, and
  group commit (``write_group``, inherited) batches submissions under one ``COMMIT``.
  ``bench/bench_scale.py`` measures what this costs against SQLite and two processes.
* **Connections come from a pool** (psycopg_pool), held only for one transaction or one
  statement, so 16 request threads do not hold 16 server connections each idle most of the
  time. A thread inside ``read()``/``write()`` gets that transaction's connection from
  ``conn()``, as it gets its one connection under SQLite.
* **Two durability levels** as under SQLite: draft autosaves commit with
  ``SET LOCAL synchronous_commit = off`` (a server crash may lose the last few hundred
  milliseconds of autosaves, never corrupt anything); everything else waits for the WAL flush.
* **Bounded waits**: ``SET LOCAL lock_timeout`` on the advisory lock and a pool timeout give
  ``StoreBusy`` after ``busy_timeout_s``; a server that cannot be reached gives
  ``StoreUnavailable`` with one line saying where (``yijian serve`` prints it and stops).
* **Migrations** are the SQLite scripts translated by ``store.dialect``; each runs with its
  record in one transaction under the advisory lock, so two processes starting at once apply
  each exactly once.
"""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import psycopg
import psycopg_pool

from yijian.calendar.clock import Clock, system_clock
from yijian.store.db import Database
from yijian.store.errors import StoreBusy, StoreUnavailable
from yijian.store.pgconn import PgConn, configure, translate_error

__all__ = ["PgDatabase", "describe_url"]

#: The store's single-writer lock: an advisory lock of this class, keyed by the schema, so two
#: stores in two schemas of one database (a test per schema, a county moved in beside another)
#: never wait for each other. Advisory locks are per database, not per schema.
WRITE_LOCK_CLASS = 31082
WRITE_LOCK_SQL = f"SELECT pg_advisory_xact_lock({WRITE_LOCK_CLASS}, hashtext(current_schema()))"


def describe_url(url: str) -> str:
    """``host:port/dbname`` of a PostgreSQL URL, without user or password (for messages)."""
    parts = urlsplit(url)
    host = parts.hostname or "localhost"
    return f"{host}:{parts.port or 5432}{parts.path or '/'}"


class _AutoConn:
    """``conn()`` outside a transaction: each statement on a pooled connection, autocommit."""

    def __init__(self, db: PgDatabase):
        self._db = db

    def execute(self, sql: str, params: Any = None) -> Any:
        with self._db._borrow() as raw:
            return PgConn(raw).execute(sql, params)

    def executemany(self, sql: str, seq: Any) -> Any:
        with self._db._borrow() as raw:
            return PgConn(raw).executemany(sql, seq)

    in_transaction = False


class PgDatabase(Database):
    """A PostgreSQL database (one schema) behind the store's ``Database`` contract."""

    dialect = "postgresql"

    def __init__(
        self,
        url: str,
        clock: Clock = system_clock,
        busy_timeout_s: float = 30.0,
        schema: str | None = None,
        pool_size: int | None = None,
        path: Path | None = None,
    ):
        super().__init__(path or Path("var/yijian.db"), clock, busy_timeout_s)
        self.url = url
        self.schema = schema
        where = describe_url(url)
        try:  # one direct connection first: a wrong URL or a dead server says so in one line
            with psycopg.connect(url, connect_timeout=5, autocommit=True) as probe:
                # two processes may create the schema at once: one wins, both go on
                raced = (psycopg.errors.UniqueViolation, psycopg.errors.DuplicateSchema)
                if schema:
                    with contextlib.suppress(*raced):
                        probe.execute(f'CREATE SCHEMA IF NOT EXISTS "{schema}"')  # type: ignore[arg-type]
        except psycopg.Error as exc:
            first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
            raise StoreUnavailable(f"cannot use PostgreSQL at {where}: {first}") from None

        def setup(conn: psycopg.Connection[Any]) -> None:
            configure(conn)
            if schema:
                conn.execute(f'SET search_path TO "{schema}"')  # type: ignore[arg-type]

        self._pool = psycopg_pool.ConnectionPool(
            url,
            min_size=1,
            # as many as the app's worker threads (Settings.workers, 16): a request thread never
            # waits for a connection while another holds one idle; YIJIAN_PG_POOL overrides
            max_size=pool_size or int(os.environ.get("YIJIAN_PG_POOL") or 16),
            kwargs={"autocommit": True, "connect_timeout": 5},
            configure=setup,
            open=True,
            name=f"yijian {where}",
        )
        self._tx_local = threading.local()

    # -- connections --------------------------------------------------------------------------

    @contextmanager
    def _borrow(self) -> Iterator[psycopg.Connection[Any]]:
        if self._closed:
            raise RuntimeError("store is closed")
        try:
            with self._pool.connection(timeout=self._busy_timeout_s) as raw:
                yield raw
        except psycopg_pool.PoolTimeout:
            raise StoreBusy("no PostgreSQL connection was free in time") from None
        except psycopg.OperationalError as exc:
            raise translate_error(exc) from exc

    def conn(self) -> Any:  # type: ignore[override]
        """The current transaction's connection on this thread, else an autocommit one."""
        current = getattr(self._tx_local, "tx", None)
        return current if current is not None else _AutoConn(self)

    @contextmanager
    def _transaction(self, begin: str, lock: bool, durable: bool = True) -> Iterator[PgConn]:
        with self._borrow() as raw:
            conn = PgConn(raw)
            opening = [begin]
            if lock:
                ms = max(1, int(self._busy_timeout_s * 1000))
                opening += [f"SET LOCAL lock_timeout = {ms}", WRITE_LOCK_SQL]
                if not durable:
                    opening.append("SET LOCAL synchronous_commit = off")
            self._tx_local.tx = conn
            try:
                # one round trip (a parameterless multi-statement query): the lock is held
                # from here to COMMIT, so every trip saved shortens every writer's wait
                # (bench/bench_scale_locks.py: 6 trips per autosave became 3)
                raw.execute("; ".join(opening))  # type: ignore[arg-type]
                yield conn
            except BaseException:
                self._tx_local.tx = None
                if not raw.closed:
                    raw.execute("ROLLBACK")
                raise
            self._tx_local.tx = None
            try:
                raw.execute("COMMIT")
            except psycopg.Error as exc:
                raise translate_error(exc) from exc

    @contextmanager
    def write(self, durable: bool = True) -> Iterator[Any]:  # type: ignore[override]
        """A write transaction holding the store's write lock; returns after COMMIT.

        Autosaves take it too: letting them run beside other writers was measured slower
        (bench_scale: answer changes 0.24× SQLite with 2 processes against 0.60× serialised;
        concurrent row locks and a connection per waiting thread cost more than the queue)."""
        with self._locked(), self._transaction("BEGIN", lock=True, durable=durable) as conn:
            yield conn

    @contextmanager
    def read(self) -> Iterator[Any]:  # type: ignore[override]
        """One consistent snapshot for several SELECTs (never waits on writers)."""
        with self._transaction("BEGIN ISOLATION LEVEL REPEATABLE READ", lock=False) as conn:
            yield conn

    @contextmanager
    def _group_transaction(self) -> Iterator[Any]:
        with self._transaction("BEGIN", lock=True) as conn:
            yield conn

    def probe(self) -> None:
        """Write once (the lock, then an update of nothing real): fails at start-up if the
        server is read-only, unreachable or the lock is held."""
        with self.write() as c:
            c.execute("UPDATE schema_migrations SET name = name WHERE version = 0")

    def _create_migrations_table(self) -> None:
        # under the write lock: two processes creating it at once would collide in pg_type
        with self.write() as c:
            c.execute(
                "CREATE TABLE IF NOT EXISTS schema_migrations ("
                ' version BIGINT PRIMARY KEY, name TEXT COLLATE "C" NOT NULL,'
                ' applied_at TEXT COLLATE "C" NOT NULL)'
            )

    def close(self) -> None:
        self._closed = True
        self._pool.close()
