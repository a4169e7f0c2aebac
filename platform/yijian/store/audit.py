"""The staff audit trail: who changed which account, when, hash-chained like case events.

Case events cannot carry these: ``events.case_no`` references a case, and an account change
has none. So ``staff_audit`` is its own append-only table with one chain over all of it:
``hash = sha256(prev_hash + canonical JSON of {seq, kind, subject, actor, at, data})``, the
first entry chaining from ``""`` (the same ``chain_hash`` and canonical form as case events).
Triggers refuse UPDATE and DELETE; ``verify`` shows a changed, inserted or removed entry.

``actor`` says who acted: ``staff:<id>`` for a signed-in staff member, ``cli:<os user>`` for
someone with shell access to the database. Data never holds a password or its hash.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, field
from typing import Any

from yijian.store.events import chain_hash

__all__ = ["AuditEntry", "append", "entries", "verify"]

_CANONICAL = json.JSONEncoder(sort_keys=True, ensure_ascii=False, separators=(",", ":"))
_COMPACT = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))


@dataclass(frozen=True, slots=True)
class AuditEntry:
    seq: int
    kind: str
    subject: int | None  # the staff member concerned
    actor: str
    at: str
    data: dict[str, Any] = field(default_factory=dict)
    prev_hash: str = ""
    hash: str = ""


def _canonical(
    seq: int, kind: str, subject: int | None, actor: str, at: str, data: dict[str, Any]
) -> str:
    body = {"seq": seq, "kind": kind, "subject": subject, "actor": actor, "at": at, "data": data}
    return _CANONICAL.encode(body)


def append(
    conn: sqlite3.Connection,
    kind: str,
    at: str,
    *,
    actor: str,
    subject: int | None,
    data: dict[str, Any] | None = None,
) -> AuditEntry:
    """Append one entry; call inside the caller's write transaction (the write lock orders it)."""
    if not actor:
        raise ValueError("an audit entry needs an actor")
    data = data or {}
    last = conn.execute("SELECT seq, hash FROM staff_audit ORDER BY seq DESC LIMIT 1").fetchone()
    seq, prev = (last[0] + 1, last[1]) if last else (1, "")
    digest = chain_hash(prev, _canonical(seq, kind, subject, actor, at, data))
    conn.execute(
        "INSERT INTO staff_audit (seq, kind, subject, actor, data, at, prev_hash, hash)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (seq, kind, subject, actor, _COMPACT.encode(data), at, prev, digest),
    )
    return AuditEntry(seq, kind, subject, actor, at, data, prev, digest)


def entries(conn: sqlite3.Connection, subject: int | None = None) -> list[AuditEntry]:
    """Every entry in order, or those about one staff member."""
    sql = "SELECT seq, kind, subject, actor, at, data, prev_hash, hash FROM staff_audit"
    rows = (
        conn.execute(sql + " ORDER BY seq").fetchall()
        if subject is None
        else conn.execute(sql + " WHERE subject = ? ORDER BY seq", (subject,)).fetchall()
    )
    return [AuditEntry(r[0], r[1], r[2], r[3], r[4], json.loads(r[5]), r[6], r[7]) for r in rows]


def verify(chain: list[AuditEntry]) -> bool:
    """Whether the whole trail (from entry 1) recomputes to its stored hashes."""
    prev = ""
    for expected_seq, entry in enumerate(chain, start=1):
        if entry.seq != expected_seq or entry.prev_hash != prev:
            return False
        canonical = _canonical(
            entry.seq, entry.kind, entry.subject, entry.actor, entry.at, entry.data
        )
        if chain_hash(prev, canonical) != entry.hash:
            return False
        prev = entry.hash
    return True
