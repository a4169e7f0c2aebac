"""Which of several ``yijian worker`` processes runs the periodic chores.

Why: the outbox is safe with any number of workers (each message is leased to one, and a dead
worker's lease runs out so another takes the message again), but the chores — 容缺 deadlines,
cards, deemed acceptance, documents issued ahead, anchors, the retention purge — are sweeps
over the whole store that should run once per round, not once per worker. One worker holds
the chores lock and runs them; the others only deliver, and each round try to take the lock,
so when the holder dies another takes over within a round.

The lock dies with its holder on both backends, which is what makes a ``kill -9`` safe: on
PostgreSQL a session advisory lock (``pg_try_advisory_lock``) on a connection of its own,
released by the server when that connection drops; on SQLite an ``flock`` on a file beside
the database, released by the kernel when the process ends.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
from typing import Any

__all__ = ["CHORES_LOCK_KEY", "ChoresLock"]

#: The chores lock: an advisory lock of its own class (not the write lock's), keyed by the
#: schema like the write lock (``store.pg``).
CHORES_LOCK_KEY = 31083


class ChoresLock:
    """``held()`` is True while this process holds the chores lock (taking it if free)."""

    def __init__(self, db: Any):
        self._db = db
        self._conn: Any = None
        self._fd: int | None = None

    def held(self) -> bool:
        """Hold the lock, or take it now if it is free; False while another process has it."""
        if getattr(self._db, "dialect", "sqlite") == "postgresql":
            return self._held_pg()
        return self._held_file()

    def _held_pg(self) -> bool:
        import psycopg

        if self._conn is not None:
            try:
                self._conn.execute("SELECT 1")
                return True
            except psycopg.Error:  # the connection (and with it the lock) is gone
                self.release()
        conn = psycopg.connect(self._db.url, autocommit=True, connect_timeout=5)
        if getattr(self._db, "schema", None):
            conn.execute(f'SET search_path TO "{self._db.schema}"')  # type: ignore[arg-type]
        got = conn.execute(
            "SELECT pg_try_advisory_lock(%s, hashtext(current_schema()))", (CHORES_LOCK_KEY,)
        ).fetchone()
        if got and got[0]:
            self._conn = conn
            return True
        conn.close()
        return False

    def _held_file(self) -> bool:
        if self._fd is not None:
            return True
        fd = os.open(str(self._db.path) + ".chores.lock", os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            return False
        self._fd = fd
        return True

    def release(self) -> None:
        if self._conn is not None:
            with contextlib.suppress(Exception):
                self._conn.close()
            self._conn = None
        if self._fd is not None:
            os.close(self._fd)  # closing the descriptor drops the flock
            self._fd = None
