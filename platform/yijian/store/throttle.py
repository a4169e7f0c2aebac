"""Failed-attempt counters for sign-in and codes, kept in the store so every process agrees.

An attacker spreads guesses over the app processes of a province (or waits for a restart): a
counter in one process's memory would reset or split. Each key (an account, a client address,
a draft's confirmation code …) has one row: the failures in the current window, the latest
failure, and a temporary lock. The store keeps only the sha256 of a key, so neither a phone
number typed at the sign-in page nor an address ends up in the table as text.

The policy is pure (``delay_s``): a few free failures, then a delay doubling with each
failure, then a lock for ``lock_s``; a window without failures forgets them. The caller asks
``wait_s`` *before* doing any work (a refused attempt costs one indexed read and no argon2
hash) and reports ``fail`` or ``clear`` after.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from yijian.store.db import Database, iso, secret_digest

__all__ = ["ACCOUNT", "CLIENT", "CODE", "LINK", "Policy", "Throttle", "delay_s"]


@dataclass(frozen=True)
class Policy:
    """How many failures one key may have, and what follows."""

    free: int  # failures answered without delay
    base_s: float  # the first delay; doubling with every further failure
    max_delay_s: float
    lock_after: int  # failures in the window that lock the key
    lock_s: int  # how long a lock lasts
    window_s: int  # failures older than this (since the latest) are forgotten


#: One account (a phone number or a staff login): 3 free, then 1 s, 2 s, 4 s …, locked for
#: 15 minutes at the 10th failure within an hour (the holder is told).
ACCOUNT = Policy(free=3, base_s=1, max_delay_s=60, lock_after=10, lock_s=900, window_s=3600)
#: One client address: many citizens may share it (a 政务服务中心's NAT), so more room.
CLIENT = Policy(free=20, base_s=1, max_delay_s=30, lock_after=100, lock_s=900, window_s=3600)
#: One short code (a six-digit 代办确认码 of one draft): few tries, then a long lock.
CODE = Policy(free=3, base_s=2, max_delay_s=60, lock_after=5, lock_s=3600, window_s=3600)

#: Long random links and lookups tried from one client (resume links, 办件查询, 文书核验):
#: a person mistypes a few times; a scanner tries thousands.
LINK = Policy(free=10, base_s=1, max_delay_s=30, lock_after=30, lock_s=900, window_s=3600)


def delay_s(policy: Policy, failures: int) -> float:
    """Seconds to wait after ``failures`` failures (0 while still free)."""
    if failures < policy.free:
        return 0.0
    return float(min(policy.base_s * 2 ** (failures - policy.free), policy.max_delay_s))


Keys = Sequence[tuple[str, Policy]]


class Throttle:
    def __init__(self, db: Database):
        self._db = db

    def wait_s(self, keys: Keys) -> float:
        """Seconds before any of ``keys`` may try again (0: go ahead)."""
        now = self._db.clock()
        longest = 0.0
        conn = self._db.conn()
        for key, policy in keys:
            row = conn.execute(
                "SELECT failures, last_at, locked_until FROM throttle WHERE key = ?",
                (secret_digest(key),),
            ).fetchone()
            if row is None:
                continue
            if row["locked_until"] and datetime.fromisoformat(row["locked_until"]) > now:
                longest = max(
                    longest, (datetime.fromisoformat(row["locked_until"]) - now).total_seconds()
                )
                continue
            last = datetime.fromisoformat(row["last_at"])
            if (now - last).total_seconds() > policy.window_s:
                continue
            ready = last + timedelta(seconds=delay_s(policy, row["failures"]))
            longest = max(longest, (ready - now).total_seconds())
        return max(longest, 0.0)

    def fail(self, keys: Keys) -> list[str]:
        """Count one failure on every key; the keys this failure locked (to tell the holder)."""
        now = self._db.clock()
        locked: list[str] = []
        with self._db.write() as c:
            for key, policy in keys:
                digest = secret_digest(key)
                row = c.execute(
                    "SELECT failures, last_at FROM throttle WHERE key = ?", (digest,)
                ).fetchone()
                failures = 1
                if row is not None:
                    age = (now - datetime.fromisoformat(row["last_at"])).total_seconds()
                    failures = row["failures"] + 1 if age <= policy.window_s else 1
                lock = None
                if failures >= policy.lock_after:
                    lock = iso(now + timedelta(seconds=policy.lock_s))
                    locked.append(key)
                    failures = 0  # after the lock, a fresh start (with the lock's wait)
                c.execute(
                    "INSERT INTO throttle (key, failures, first_at, last_at, locked_until)"
                    " VALUES (?, ?, ?, ?, ?) ON CONFLICT (key) DO UPDATE SET"
                    " failures = excluded.failures, last_at = excluded.last_at,"
                    " locked_until = COALESCE(excluded.locked_until, throttle.locked_until)",
                    (digest, failures, iso(now), iso(now), lock),
                )
        return locked

    def clear(self, key: str) -> None:
        """A success: the key's failures are forgotten (a lock stays until it ends)."""
        with self._db.write() as c:
            c.execute("UPDATE throttle SET failures = 0 WHERE key = ?", (secret_digest(key),))

    def purge(self, older_than: datetime) -> int:
        """Drop rows whose latest failure and lock are both before ``older_than``."""
        cutoff = iso(older_than)
        with self._db.write() as c:
            cur = c.execute(
                "DELETE FROM throttle WHERE last_at < ?"
                " AND (locked_until IS NULL OR locked_until < ?)",
                (cutoff, cutoff),
            )
            return cur.rowcount

    def count_stale(self, older_than: datetime) -> int:
        cutoff = iso(older_than)
        row = (
            self._db.conn()
            .execute(
                "SELECT COUNT(*) FROM throttle WHERE last_at < ?"
                " AND (locked_until IS NULL OR locked_until < ?)",
                (cutoff, cutoff),
            )
            .fetchone()
        )
        return int(row[0])
