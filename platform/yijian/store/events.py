"""The case event log: append-only facts, hash-chained per case.

Each event stores ``hash = sha256(prev_hash + canonical JSON of the event)`` where the
canonical JSON has sorted keys, no spaces and real UTF-8 (``ensure_ascii=False``), and the
first event of a case chains from the empty string. Changing, inserting or removing an event
breaks every later hash, which ``verify`` detects. Triggers refuse UPDATE and DELETE, so
tampering needs someone who deliberately drops them; the chain is what shows it happened.

A case's state is derived from its events: the ``status`` of the last event that set one.

The answers and summary are not events, so the first event records their digest
(``submission_digest`` under ``DIGEST_KEY``): rewriting them no longer passes unseen.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "DIGEST_KEY",
    "Event",
    "append",
    "chain_hash",
    "first_break",
    "list_events",
    "submission_digest",
    "verify",
]

# Encoders built once (json.dumps with options builds one per call; this is the submit path).
_CANONICAL = json.JSONEncoder(sort_keys=True, ensure_ascii=False, separators=(",", ":"))
_COMPACT = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))


@dataclass(frozen=True, slots=True)
class Event:
    case_no: str
    seq: int
    kind: str
    status: str | None
    actor: str | None
    at: str
    data: dict[str, Any] = field(default_factory=dict)
    prev_hash: str = ""
    hash: str = ""


def _canonical(
    case_no: str,
    seq: int,
    kind: str,
    status: str | None,
    actor: str | None,
    at: str,
    data: dict[str, Any],
) -> str:
    body = {
        "case_no": case_no,
        "seq": seq,
        "kind": kind,
        "status": status,
        "actor": actor,
        "at": at,
        "data": data,
    }
    return _CANONICAL.encode(body)


def chain_hash(prev_hash: str, canonical: str) -> str:
    return hashlib.sha256((prev_hash + canonical).encode()).hexdigest()


#: The event data key holding ``submission_digest`` of the case's stored answers and summary:
#: set by the first event; an event that legitimately replaces them (the retention purge)
#: records the digest of what it wrote, and the last one on the chain is what must match.
DIGEST_KEY = "submitted_sha256"


def submission_digest(answers_json: str, summary_json: str) -> str:
    """sha256 of ``[answers,summary]`` built from the JSON texts exactly as stored.

    The texts, not the values: the submit path has encoded them already (no second encoding
    on the hot path), and the verifier hashes the columns byte for byte, so any rewrite shows,
    even one that keeps the meaning. Compact JSON has no raw newline or bracket ambiguity:
    the pair is itself one JSON document."""
    return hashlib.sha256(f"[{answers_json},{summary_json}]".encode()).hexdigest()


def append(
    conn: sqlite3.Connection,
    case_no: str,
    kind: str,
    at: str,
    *,
    status: str | None = None,
    actor: str | None = None,
    data: dict[str, Any] | None = None,
    first: bool = False,
) -> Event:
    """Append one event; call inside the caller's write transaction.

    ``first=True`` (a case created in this transaction) skips looking up the previous event;
    UNIQUE (case_no, seq) still refuses a second "first" event.
    """
    data = data or {}
    last = (
        None
        if first
        else conn.execute(
            "SELECT seq, hash FROM events WHERE case_no = ? ORDER BY seq DESC LIMIT 1", (case_no,)
        ).fetchone()
    )
    seq, prev = (last[0] + 1, last[1]) if last else (1, "")
    digest = chain_hash(prev, _canonical(case_no, seq, kind, status, actor, at, data))
    conn.execute(
        "INSERT INTO events (case_no, seq, kind, status, actor, data, at, prev_hash, hash)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            case_no,
            seq,
            kind,
            status,
            actor,
            _COMPACT.encode(data),
            at,
            prev,
            digest,
        ),
    )
    return Event(case_no, seq, kind, status, actor, at, data, prev, digest)


def list_events(conn: sqlite3.Connection, case_no: str) -> list[Event]:
    rows = conn.execute(
        "SELECT case_no, seq, kind, status, actor, at, data, prev_hash, hash"
        " FROM events WHERE case_no = ? ORDER BY seq",
        (case_no,),
    ).fetchall()
    return [Event(r[0], r[1], r[2], r[3], r[4], r[5], json.loads(r[6]), r[7], r[8]) for r in rows]


def verify(events: list[Event]) -> bool:
    """Whether the stored hashes match a recomputation from the first event on."""
    return bool(events) and first_break(events) is None


def first_break(events: list[Event]) -> str | None:
    """Where a chain stops recomputing, in words (``yijian audit verify`` names it), or None."""
    prev = ""
    for expected_seq, event in enumerate(events, start=1):
        if event.seq != expected_seq:
            return f"event {expected_seq} is missing (next stored: {event.seq})"
        if event.prev_hash != prev:
            return f"event {event.seq} does not link to event {expected_seq - 1}"
        canonical = _canonical(
            event.case_no, event.seq, event.kind, event.status, event.actor, event.at, event.data
        )
        if chain_hash(prev, canonical) != event.hash:
            return f"event {event.seq} was changed (its hash does not recompute)"
        prev = event.hash
    return None
