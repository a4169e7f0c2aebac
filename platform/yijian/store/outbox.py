"""The outbox: messages written with the event they announce, delivered later with retries.

``enqueue`` runs inside the caller's write transaction (``store.cases.act``'s ``also``), so the
message exists exactly when the event does. A sender (``yijian worker``) ``claim``s due rows
under a lease: a second sender skips leased rows, and a crashed sender's lease runs out so the
row is taken again. ``mark_failed`` pushes the next attempt back exponentially (30 s, 1 min,
2 min … capped at one hour) and gives up after ``MAX_ATTEMPTS`` (the row stays, ``dead``, for
the status page). Only masked personal data goes into ``data``; the recipient's address is
stored because it is needed to deliver.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from yijian.store.db import Database, iso

__all__ = ["MAX_ATTEMPTS", "Outbox", "OutboxItem", "Pending", "enqueue"]

MAX_ATTEMPTS = 8
BACKOFF_S = 30
BACKOFF_CAP_S = 3600


@dataclass(frozen=True, slots=True)
class OutboxItem:
    """One message to write: where, to whom, which template, its (masked) data."""

    key: str  # idempotency key: the same message twice is one row
    channel: str
    recipient: str = field(repr=False)
    template: str
    data: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Pending:
    id: int
    case_no: str | None
    channel: str
    recipient: str = field(repr=False)
    template: str = ""
    data: dict[str, Any] = field(default_factory=dict)
    attempts: int = 0


def enqueue(
    conn: sqlite3.Connection,
    item: OutboxItem,
    at: str,
    case_no: str | None = None,
    event_seq: int | None = None,
    not_before: str | None = None,
) -> bool:
    """Write ``item`` in the caller's transaction; False when its key was already there.
    ``not_before``: a scheduled message (a reminder) is not due before that time."""
    cur = conn.execute(
        "INSERT INTO outbox (idempotency_key, case_no, event_seq, channel, recipient, template,"
        " data, created_at, next_attempt_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
        " ON CONFLICT (idempotency_key) DO NOTHING",
        (
            item.key,
            case_no,
            event_seq,
            item.channel,
            item.recipient,
            item.template,
            json.dumps(item.data, ensure_ascii=False),
            at,
            not_before or at,
        ),
    )
    return cur.rowcount == 1


class Outbox:
    def __init__(self, db: Database):
        self._db = db

    def add(self, item: OutboxItem, case_no: str | None = None) -> bool:
        """``enqueue`` in a transaction of its own (messages that announce no event)."""
        with self._db.write() as c:
            return enqueue(c, item, self._db.now(), case_no)

    def claim(self, owner: str, limit: int = 20, lease_s: int = 60) -> list[Pending]:
        """Due rows, leased to ``owner`` for ``lease_s`` seconds."""
        now = self._db.clock()
        with self._db.write() as c:
            rows = c.execute(
                "SELECT id, case_no, channel, recipient, template, data, attempts FROM outbox"
                " WHERE sent_at IS NULL AND dead = 0 AND next_attempt_at <= ?"
                " AND (leased_until IS NULL OR leased_until < ?) ORDER BY next_attempt_at, id"
                " LIMIT ?",
                (iso(now), iso(now), limit),
            ).fetchall()
            until = iso(now + timedelta(seconds=lease_s))
            c.executemany(
                "UPDATE outbox SET leased_until = ?, lease_owner = ? WHERE id = ?",
                [(until, owner, r[0]) for r in rows],
            )
        return [Pending(r[0], r[1], r[2], r[3], r[4], json.loads(r[5]), r[6]) for r in rows]

    def mark_sent(self, item_id: int, owner: str) -> None:
        with self._db.write() as c:
            c.execute(
                "UPDATE outbox SET sent_at = ?, leased_until = NULL, attempts = attempts + 1"
                " WHERE id = ? AND lease_owner = ?",
                (self._db.now(), item_id, owner),
            )

    def mark_failed(self, item_id: int, owner: str, error: str) -> None:
        """Try again later (exponential backoff), or give up after ``MAX_ATTEMPTS``."""
        now: datetime = self._db.clock()
        with self._db.write() as c:
            row = c.execute("SELECT attempts FROM outbox WHERE id = ?", (item_id,)).fetchone()
            attempts = (row[0] if row else 0) + 1
            delay = min(BACKOFF_S * 2 ** (attempts - 1), BACKOFF_CAP_S)
            c.execute(
                "UPDATE outbox SET attempts = ?, next_attempt_at = ?, leased_until = NULL,"
                " last_error = ?, dead = ? WHERE id = ? AND lease_owner = ?",
                (
                    attempts,
                    iso(now + timedelta(seconds=delay)),
                    error[:500],
                    int(attempts >= MAX_ATTEMPTS),
                    item_id,
                    owner,
                ),
            )

    def counts(self) -> dict[str, int]:
        """pending / sent / dead, for the status page and tests."""
        with self._db.read() as c:
            row = c.execute(
                "SELECT SUM(CASE WHEN sent_at IS NULL AND dead = 0 THEN 1 ELSE 0 END),"
                " SUM(CASE WHEN sent_at IS NOT NULL THEN 1 ELSE 0 END), SUM(dead)"
                " FROM outbox"
            ).fetchone()
        return {"pending": row[0] or 0, "sent": row[1] or 0, "dead": row[2] or 0}

    def for_case(self, case_no: str) -> list[dict[str, Any]]:
        with self._db.read() as c:
            rows = c.execute(
                "SELECT channel, template, data, sent_at, attempts, dead FROM outbox"
                " WHERE case_no = ? ORDER BY id",
                (case_no,),
            ).fetchall()
        return [
            {"channel": r[0], "template": r[1], "data": json.loads(r[2]), "sent_at": r[3],
             "attempts": r[4], "dead": bool(r[5])}
            for r in rows
        ]  # fmt: skip
