"""Anchors: one hash chain across every case chain's head (migration 10).

A case's own chain shows a changed event but not a missing tail, and nothing showed a whole
case deleted with its events. An anchor fixes every chain's head at a moment: its ``root`` is
sha256 over the lines ``"<case_no> <seq> <hash>\\n"`` of every head in case number order, and
the anchor is chained to the previous one like events are (``hash = sha256(prev_hash +
canonical JSON)``, the first from ``""``). From then on each anchored chain must *extend* its
anchored head: shorter means events were deleted, absent means the case was; events added
after the anchor are simply the chain going on. The staff audit trail's head is anchored too.

Only heads that are new or moved since the previous anchor are written (``anchor_heads``);
what an anchor covers is the last row per case up to it. An anchor is refused, not written,
when the chains no longer extend the previous one: anchoring over tampering would launder it.

Everything lives in the same file an intruder could rewrite wholesale; the anchor's ``hash``
is short enough to keep elsewhere (printed by ``yijian audit anchor``, shown on
/admin/status), and ``yijian audit verify --anchor HASH`` checks the store still contains it.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Mapping
from dataclasses import dataclass, replace

from yijian.store.db import Database
from yijian.store.events import chain_hash

__all__ = [
    "Anchor",
    "AnchorRefused",
    "Anchors",
    "anchor_hash",
    "anchored_heads",
    "current_heads",
    "list_anchors",
    "regressions",
    "root_of",
    "staff_head",
    "staff_regression",
]

Heads = dict[str, tuple[int, str]]  # case_no -> (seq, hash) of its last event
_CANONICAL = json.JSONEncoder(sort_keys=True, ensure_ascii=False, separators=(",", ":"))
_FIELDS = "seq, at, cases, events, changed, root, staff_seq, staff_hash, prev_hash, hash"


@dataclass(frozen=True, slots=True)
class Anchor:
    seq: int
    at: str
    cases: int
    events: int
    changed: int
    root: str
    staff_seq: int
    staff_hash: str
    prev_hash: str
    hash: str


class AnchorRefused(Exception):
    """The chains do not extend the previous anchor: verify, do not anchor over it."""

    def __init__(self, case_no: str | None, reason: str):
        super().__init__(f"case {case_no}: {reason}" if case_no else f"staff audit trail: {reason}")
        self.case_no, self.reason = case_no, reason


def root_of(heads: Mapping[str, tuple[int, str]]) -> str:
    digest = hashlib.sha256()
    for case_no in sorted(heads):
        seq, head = heads[case_no]
        digest.update(f"{case_no} {seq} {head}\n".encode())
    return digest.hexdigest()


def anchor_hash(prev_hash: str, a: Anchor) -> str:
    """The hash ``a`` must carry after ``prev_hash`` (its own ``hash`` and ``prev_hash`` aside)."""
    body = {
        "seq": a.seq,
        "at": a.at,
        "cases": a.cases,
        "events": a.events,
        "changed": a.changed,
        "root": a.root,
        "staff_seq": a.staff_seq,
        "staff_hash": a.staff_hash,
    }
    return chain_hash(prev_hash, _CANONICAL.encode(body))


def current_heads(conn: sqlite3.Connection) -> Heads:
    """Every case chain's last event: its seq and hash."""
    rows = conn.execute(
        "SELECT e.case_no, e.seq, e.hash FROM events e JOIN"
        " (SELECT case_no, MAX(seq) AS seq FROM events GROUP BY case_no) h"
        " ON h.case_no = e.case_no AND h.seq = e.seq"
    )
    return {r[0]: (r[1], r[2]) for r in rows}


def anchored_heads(conn: sqlite3.Connection) -> Heads:
    """The heads the latest anchor covers: per case, its row of the highest anchor."""
    rows = conn.execute("SELECT case_no, seq, hash FROM anchor_heads ORDER BY case_no, anchor_seq")
    return {r[0]: (r[1], r[2]) for r in rows}


def staff_head(conn: sqlite3.Connection) -> tuple[int, str]:
    row = conn.execute("SELECT seq, hash FROM staff_audit ORDER BY seq DESC LIMIT 1").fetchone()
    return (row[0], row[1]) if row else (0, "")


def list_anchors(conn: sqlite3.Connection, limit: int | None = None) -> list[Anchor]:
    """Every anchor in order, or the last ``limit`` of them."""
    if limit is None:
        rows = conn.execute(f"SELECT {_FIELDS} FROM anchors ORDER BY seq").fetchall()
    else:
        rows = conn.execute(
            f"SELECT {_FIELDS} FROM anchors ORDER BY seq DESC LIMIT ?", (limit,)
        ).fetchall()[::-1]
    return [Anchor(*tuple(r)) for r in rows]


def regressions(
    conn: sqlite3.Connection, heads: Heads, anchored: Heads, at_seq: int
) -> list[tuple[str, str]]:
    """(case_no, why) for each anchored head that the chains now do not extend, in case
    number order; ``at_seq`` names the anchor in the message."""
    found: list[tuple[str, str]] = []
    for case_no in sorted(anchored):
        seq, head = anchored[case_no]
        now = heads.get(case_no)
        if now is None:
            found.append(
                (case_no, f"case or its events deleted: anchor {at_seq} lists it with {seq} events")
            )
        elif now[0] < seq:
            found.append(
                (case_no, f"events deleted: anchor {at_seq} has {seq} events, the chain {now[0]}")
            )
        elif (now[1] if now[0] == seq else _hash_at(conn, case_no, seq)) != head:
            found.append((case_no, f"event {seq} differs from anchor {at_seq}: chain rewritten"))
    return found


def _hash_at(conn: sqlite3.Connection, case_no: str, seq: int) -> str | None:
    row = conn.execute(
        "SELECT hash FROM events WHERE case_no = ? AND seq = ?", (case_no, seq)
    ).fetchone()
    return row[0] if row else None


def _staff_at(conn: sqlite3.Connection, seq: int) -> str | None:
    row = conn.execute("SELECT hash FROM staff_audit WHERE seq = ?", (seq,)).fetchone()
    return row[0] if row else None


def staff_regression(conn: sqlite3.Connection, last: Anchor) -> str | None:
    """Why the staff audit trail does not extend ``last``'s head, or None."""
    if last.staff_seq and _staff_at(conn, last.staff_seq) != last.staff_hash:
        return f"entry {last.staff_seq} deleted or changed since anchor {last.seq}"
    return None


class Anchors:
    """Make and read anchors (``store.anchors``)."""

    def __init__(self, db: Database):
        self._db = db

    def latest(self) -> Anchor | None:
        found = list_anchors(self._db.conn(), limit=1)
        return found[0] if found else None

    def recent(self, limit: int = 10) -> list[Anchor]:
        return list_anchors(self._db.conn(), limit=limit)

    def anchor(self) -> Anchor:
        """Anchor every head now; raises :class:`AnchorRefused` on the first chain that does
        not extend the previous anchor.

        The heads are read in a read snapshot (a full scan of ``events`` must not hold the
        write lock); only the insert takes it, and retries if another process anchored in
        between. Heads moved by events written meanwhile are the next anchor's."""
        for _ in range(5):
            with self._db.read() as c:
                heads, before, staff = current_heads(c), anchored_heads(c), staff_head(c)
                last = (list_anchors(c, limit=1) or [None])[0]
                if last is not None:
                    broken = regressions(c, heads, before, last.seq)
                    if broken:
                        raise AnchorRefused(*broken[0])
                    why = staff_regression(c, last)
                    if why:
                        raise AnchorRefused(None, why)
            moved = sorted((k, v) for k, v in heads.items() if before.get(k) != v)
            with self._db.write() as c:
                now_last = c.execute("SELECT MAX(seq) FROM anchors").fetchone()[0]
                if now_last != (last.seq if last else None):
                    continue  # someone else anchored: read again
                draft = Anchor(
                    (last.seq if last else 0) + 1, self._db.now(), len(heads),
                    sum(seq for seq, _ in heads.values()), len(moved), root_of(heads),
                    staff[0], staff[1], last.hash if last else "", "",
                )  # fmt: skip
                made = replace(draft, hash=anchor_hash(draft.prev_hash, draft))
                c.execute(
                    f"INSERT INTO anchors ({_FIELDS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    _values(made),
                )
                c.executemany(
                    "INSERT INTO anchor_heads (case_no, anchor_seq, seq, hash) VALUES (?, ?, ?, ?)",
                    [(k, made.seq, seq, head) for k, (seq, head) in moved],
                )
            return made
        raise RuntimeError("anchors kept being added by another process; try again")

    def daily(self) -> Anchor | None:
        """An anchor if none was made today (Beijing date), else None: the worker's chore."""
        last = self.latest()
        if last is not None and last.at[:10] >= self._db.now()[:10]:
            return None
        return self.anchor()


def _values(a: Anchor) -> tuple[object, ...]:
    return (
        a.seq, a.at, a.cases, a.events, a.changed, a.root,
        a.staff_seq, a.staff_hash, a.prev_hash, a.hash,
    )  # fmt: skip
