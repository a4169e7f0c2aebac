"""The SQLite database under the store: connections, pragmas, transactions and migrations.

Why it looks like this:

* One connection per thread (``threading.local``), opened once and reused: opening a
  connection per transaction was measured 10x slower, and a sqlite3 connection must not be
  shared by two threads at the same time.
* WAL + ``synchronous=FULL``: readers never wait for the writer, and a transaction that
  ``COMMIT`` returned from is on disk (fsync of the WAL) before anything is acknowledged.
* Writes take ``BEGIN IMMEDIATE`` (the write lock up front, so two writers never deadlock on a
  read-to-write upgrade) *and* a process-wide lock: SQLite admits one writer anyway, and
  queueing the threads of this process on a Python lock avoids SQLite's sleeping busy handler
  (1, 2, 5 … 100 ms naps) that otherwise halves throughput under 50 concurrent writers. The busy
  timeout still covers other processes sharing the file.
* Group commit (``write_group``, used by case submission): threads queue their work; whoever
  gets the write lock runs everything queued in one transaction, each piece in a SAVEPOINT so
  one failure does not sink the others, and wakes the owners after COMMIT. Under 50 concurrent
  clients one fsync then covers many submissions; alone, a submission is a plain transaction.
* Two durability levels (``write(durable=...)``). Everything is ``synchronous=FULL`` (COMMIT
  returns after the WAL is fsynced) except draft autosaves, which commit on a second
  connection of the same thread with ``synchronous=NORMAL``: COMMIT writes the WAL but does not
  fsync it. In WAL mode that survives any crash of the application (the bytes are in the
  kernel's page cache); a power loss or kernel crash may roll back the relaxed transactions
  committed since the WAL was last fsynced, and never corrupts the file. The WAL is fsynced by
  every FULL commit (its frames are sequential, so one fsync covers the relaxed ones before
  it), by checkpoints, and, so that the window is bounded in time even when nothing else is
  written, a relaxed write is itself made FULL when the last fsync is older than
  ``RELAXED_SYNC_S``. Both connections take the same process-wide write lock, so writes stay
  serialised in the order they take it. See docs/performance.md ("Draft durability").
* Every wait is bounded (``busy_timeout_s``): SQLite's busy handler for a lock held by another
  process, and the process-wide write lock for threads queued behind a writer that waits on
  it. A write that cannot start in time raises :class:`StoreBusy`, so a request answers "try
  again" (503) instead of hanging while another process holds the database (issue 13: a lock
  held for 40 s froze the site, then lost the answer). ``probe`` writes once at start-up so an
  unwritable file fails the start, not the first citizen.
* Migrations are numbered and recorded in ``schema_migrations``; each runs in its own
  transaction together with its record, so a crash leaves either all of it or none.
"""

from __future__ import annotations

import hashlib
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any, TypeVar

from yijian.calendar.clock import CHINA_TZ, Clock, system_clock
from yijian.store.errors import StoreBusy, StoreUnavailable
from yijian.store.migrations import MIGRATIONS, statements

__all__ = [
    "CHINA_TZ",
    "Clock",
    "Database",
    "StoreBusy",
    "StoreUnavailable",
    "iso",
    "secret_digest",
    "system_clock",
]

T = TypeVar("T")
_GROUP_MAX = 64  # pieces of work per group transaction
#: A relaxed (``synchronous=NORMAL``) write is made durable when the WAL was last fsynced longer
#: ago than this, so a power loss can take at most about this much of draft autosaves.
RELAXED_SYNC_S = 1.0


class _Pending:
    """One queued piece of group-commit work and, once committed, its outcome."""

    __slots__ = ("done", "error", "result", "work")

    def __init__(self, work: Callable[[sqlite3.Connection], Any]):
        self.work = work
        self.done = False
        self.result: Any = None
        self.error: BaseException | None = None


def iso(moment: datetime) -> str:
    """ISO 8601 text in China Standard Time: one offset everywhere, so the text sorts as time."""
    return moment.astimezone(CHINA_TZ).isoformat(timespec="microseconds")


class Database:
    """A SQLite file with one connection per thread and serialised write transactions."""

    dialect = "sqlite"

    def __init__(self, path: Path, clock: Clock = system_clock, busy_timeout_s: float = 30.0):
        self.path = path
        self.clock = clock
        self._busy_timeout_s = busy_timeout_s
        self._timeout_gen = 0  # bumped by set_busy_timeout; each thread's connections follow
        self._local = threading.local()
        self._write_lock = threading.Lock()
        self._all: list[sqlite3.Connection] = []
        self._all_lock = threading.Lock()
        self._closed = False
        self._queue: list[_Pending] = []
        self._queue_lock = threading.Lock()
        self._groups = 0
        self._grouped = 0
        self._last_sync = float("-inf")  # monotonic time of the last FULL commit (under lock)

    def now(self) -> str:
        """The clock's time as ISO 8601 text with its offset (sorts correctly: one offset)."""
        return iso(self.clock())

    @property
    def busy_timeout_s(self) -> float:
        return self._busy_timeout_s

    def set_busy_timeout(self, seconds: float) -> None:
        """How long a write waits for a lock before :class:`StoreBusy`. The web app sets a
        few seconds (a request should rather answer 503 than hang); batch tools keep 30 s.
        Connections already open take it on their thread's next use."""
        self._busy_timeout_s = seconds
        self._timeout_gen += 1

    def _fresh(self, conn: sqlite3.Connection, attr: str) -> sqlite3.Connection:
        if getattr(self._local, attr + "_gen", 0) != self._timeout_gen:
            conn.execute(f"PRAGMA busy_timeout={int(self._busy_timeout_s * 1000)}")
            setattr(self._local, attr + "_gen", self._timeout_gen)
        return conn

    def conn(self) -> sqlite3.Connection:
        """This thread's connection (``synchronous=FULL``), opened on first use."""
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            conn = self._local.conn = self._open("FULL")
        return self._fresh(conn, "conn")

    def _relaxed_conn(self) -> sqlite3.Connection:
        """This thread's ``synchronous=NORMAL`` connection, for draft autosaves only.

        A separate connection rather than switching the pragma back and forth: the pragma is
        per connection, and a forgotten reset would silently weaken a submission.
        """
        conn: sqlite3.Connection | None = getattr(self._local, "relaxed", None)
        if conn is None:
            conn = self._local.relaxed = self._open("NORMAL")
        return self._fresh(conn, "relaxed")

    def _open(self, synchronous: str) -> sqlite3.Connection:
        if self._closed:
            raise RuntimeError("store is closed")
        conn = sqlite3.connect(
            self.path,
            timeout=self._busy_timeout_s,
            isolation_level=None,  # we issue BEGIN/COMMIT ourselves
            check_same_thread=False,  # only so close() may close it from another thread
        )
        conn.row_factory = sqlite3.Row
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute(f"PRAGMA synchronous={synchronous}")
        conn.execute("PRAGMA foreign_keys=ON")
        with self._all_lock:
            self._all.append(conn)
        return conn

    @contextmanager
    def write(self, durable: bool = True) -> Iterator[sqlite3.Connection]:
        """A write transaction: BEGIN IMMEDIATE … COMMIT, rolled back on any exception.

        Returns only after COMMIT, so a caller that got a result may acknowledge it. With
        ``durable=False`` (draft autosaves only) COMMIT does not wait for the disk: the
        transaction survives an application crash but may be lost, whole, on a power loss
        within about ``RELAXED_SYNC_S`` (see the module docstring).
        """
        with self._locked():
            relaxed = not durable and time.monotonic() - self._last_sync < RELAXED_SYNC_S
            conn = self._relaxed_conn() if relaxed else self.conn()
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield conn
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")
            if not relaxed:
                self._last_sync = time.monotonic()

    def write_group(self, work: Callable[[sqlite3.Connection], T]) -> T:
        """Run ``work(conn)`` in a write transaction shared with other queued work.

        Returns (or raises) after the COMMIT that made it durable; an exception raised by
        ``work`` rolls back only that piece (SAVEPOINT) and is re-raised in its own thread.
        """
        item = _Pending(work)
        with self._queue_lock:
            self._queue.append(item)
        if not self._write_lock.acquire(timeout=self._busy_timeout_s):
            with self._queue_lock:
                if any(queued is item for queued in self._queue):  # never ran: give up
                    self._queue = [queued for queued in self._queue if queued is not item]
                    raise StoreBusy("the store's write lock was not free in time")
            # a leader took it along and is running it: its outcome comes with the lock
            self._write_lock.acquire()
        try:
            while not item.done:  # nobody took it along yet: lead a group of what is queued
                with self._queue_lock:
                    group, self._queue = self._queue[:_GROUP_MAX], self._queue[_GROUP_MAX:]
                self._run_group(group)
        finally:
            self._write_lock.release()
        if item.error is not None:
            raise item.error
        return item.result

    @contextmanager
    def _locked(self) -> Iterator[None]:
        """The process-wide write lock, waited for at most ``busy_timeout_s``."""
        if not self._write_lock.acquire(timeout=self._busy_timeout_s):
            raise StoreBusy("the store's write lock was not free in time")
        try:
            yield
        finally:
            self._write_lock.release()

    def probe(self) -> None:
        """Write once (the header's ``user_version``, set to what it is): raises if the file
        is read-only, the disk full or the lock held, so a start-up fails at once."""
        with self.write() as c:
            version = int(c.execute("PRAGMA user_version").fetchone()[0])
            c.execute(f"PRAGMA user_version={version}")

    def group_stats(self) -> tuple[int, int]:
        """(group transactions committed, pieces of work they carried) since opening: how
        well group commit groups (``bench/bench_submit.py``, tests of the web path)."""
        return self._groups, self._grouped

    @contextmanager
    def _group_transaction(self) -> Iterator[Any]:
        """The write transaction a group runs in (the PostgreSQL backend has its own)."""
        conn = self.conn()
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield conn
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")
        self._last_sync = time.monotonic()

    def _run_group(self, group: list[_Pending]) -> None:
        """Run a group under one COMMIT, each piece in a SAVEPOINT (alone: no savepoint, and
        its failure rolls the transaction back); every owner gets its result or error."""
        self._groups += 1  # under the write lock
        self._grouped += len(group)
        alone = len(group) == 1
        try:
            with self._group_transaction() as conn:
                for item in group:
                    if not alone:
                        conn.execute("SAVEPOINT piece")
                    try:
                        item.result = item.work(conn)
                    except Exception as exc:
                        item.error = exc
                        if alone:
                            raise
                        conn.execute("ROLLBACK TO SAVEPOINT piece")
                        continue
                    if not alone:
                        conn.execute("RELEASE SAVEPOINT piece")
        except BaseException as exc:
            for item in group:
                item.result, item.error = None, item.error or exc
            if not isinstance(exc, Exception):
                raise
        finally:
            for item in group:
                item.done = True

    @contextmanager
    def read(self) -> Iterator[sqlite3.Connection]:
        """A read transaction: one consistent snapshot for several SELECTs (WAL: no blocking)."""
        conn = self.conn()
        conn.execute("BEGIN")
        try:
            yield conn
        finally:
            conn.execute("COMMIT")

    def _create_migrations_table(self) -> None:
        """The record of applied migrations (PostgreSQL creates it under its write lock)."""
        self.conn().execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations ("
            " version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
        )

    def migrate(self) -> list[int]:
        """Apply the migrations not yet recorded; returns the versions applied now."""
        self._create_migrations_table()
        applied: list[int] = []
        rows = self.conn().execute("SELECT version FROM schema_migrations")
        recorded = {int(r[0]) for r in rows}
        for version, name, sql in MIGRATIONS:
            if version in recorded:  # no write lock when nothing is to do: a start-up does not
                continue  # wait on a lock held elsewhere (``probe`` says if it is writable)
            with self.write() as c:
                # Re-checked inside the write lock: two processes may open the file at once.
                done = c.execute(
                    "SELECT 1 FROM schema_migrations WHERE version = ?", (version,)
                ).fetchone()
                if done:
                    continue
                for statement in statements(version, sql, self.dialect):
                    c.execute(statement)
                c.execute(
                    "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
                    (version, name, self.now()),
                )
                applied.append(version)
        return applied

    def close(self) -> None:
        """Close every thread's connection (checkpointing the WAL on the last one)."""
        self._closed = True
        with self._all_lock:
            conns, self._all = self._all, []
        for conn in conns:
            conn.close()
        self._local = threading.local()


def secret_digest(secret: str) -> str:
    """What the database keeps of a session id or resume token: its sha256, never the secret, so
    a copy of the database cannot be used to sign in or resume someone's draft."""
    return hashlib.sha256(secret.encode()).hexdigest()
