"""What may be deleted, and deleting it: the store's half of ``yijian purge``.

The policy (how long each kind of record is kept) is the caller's (``tools.purge`` reads it
from the county's ``rules/retention.yaml``); this module only knows what each kind is and
how to remove it without breaking anything that stays:

* sessions (citizen and staff) past their expiry, resume tokens spent or expired, idle
  sign-in throttle counters, outbox messages sent (or given up) long ago (they hold a phone
  number or an e-mail address);
* open drafts nobody touched for the policy's days, with their resume tokens and uploaded
  files (a submitted draft is part of its case and stays with it);
* file contents on disk that no row refers to, older than a grace period (an upload writes
  its content before its row, so a young unreferenced file may be a write in progress);
* closed cases past their 档案 retention. A case row and its event chain are never deleted:
  the chain is the record that the case existed and what happened to it (``yijian audit
  verify`` would rightly call a missing case a deletion). Its personal data goes: the answers
  and summary are replaced by a stub naming the matter, the files of its draft are deleted,
  and the purge is itself an event (``purged``) on the case's chain, carrying the digest of
  the stub so the audit check still matches the stored columns.

Every method counts when ``apply`` is False (``--dry-run``) and deletes when it is True.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from yijian.store import events as event_log
from yijian.store.db import Database, iso
from yijian.store.filestore import FileStore

__all__ = ["CLOSED_STATUSES", "PURGED", "Retention"]

#: The event kind of a retention purge (see the module docstring).
PURGED = "purged"
#: Statuses in which nothing more happens to a case (``casework.kinds.CLOSED``; the store
#: layer cannot import casework, ``tests/store/test_store_retention.py`` keeps them equal).
CLOSED_STATUSES = ("refused", "terminated", "concluded", "delivered", "revoked")


def _count_or_delete(c: Any, where: str, table: str, params: tuple[Any, ...], apply: bool) -> int:
    if apply:
        return int(c.execute(f"DELETE FROM {table} WHERE {where}", params).rowcount)
    return int(c.execute(f"SELECT COUNT(*) FROM {table} WHERE {where}", params).fetchone()[0])


class Retention:
    def __init__(self, db: Database, files: FileStore):
        self._db = db
        self._files = files

    def _run(self, apply: bool) -> Any:
        return self._db.write() if apply else self._db.read()

    def expired_sessions(self, now: datetime, apply: bool) -> int:
        cutoff = iso(now)
        with self._run(apply) as c:
            citizen = _count_or_delete(c, "expires_at < ?", "sessions", (cutoff,), apply)
            staff = _count_or_delete(c, "expires_at < ?", "staff_sessions", (cutoff,), apply)
            signups = _count_or_delete(c, "expires_at < ?", "pending_signups", (cutoff,), apply)
        return citizen + staff + signups

    def spent_tokens(self, now: datetime, apply: bool) -> int:
        cutoff = iso(now)
        where = "expires_at < ? OR used_at IS NOT NULL"
        with self._run(apply) as c:
            return _count_or_delete(c, where, "resume_tokens", (cutoff,), apply)

    def idle_counters(self, before: datetime, apply: bool) -> int:
        cutoff = iso(before)
        where = "last_at < ? AND (locked_until IS NULL OR locked_until < ?)"
        with self._run(apply) as c:
            return _count_or_delete(c, where, "throttle", (cutoff, cutoff), apply)

    def old_messages(self, before: datetime, apply: bool) -> int:
        where = "(sent_at IS NOT NULL AND sent_at < ?) OR (dead = 1 AND created_at < ?)"
        cutoff = iso(before)
        with self._run(apply) as c:
            return _count_or_delete(c, where, "outbox", (cutoff, cutoff), apply)

    def abandoned_drafts(self, before: datetime, apply: bool) -> int:
        """Open drafts last changed before ``before`` (never one a case refers to)."""
        where = (
            "status = 'open' AND updated_at < ?"
            " AND NOT EXISTS (SELECT 1 FROM cases WHERE cases.draft_id = drafts.id)"
        )
        cutoff = iso(before)
        with self._run(apply) as c:
            if apply:  # their tokens and file rows first (foreign keys)
                chosen = f"SELECT id FROM drafts WHERE {where}"
                c.execute(f"DELETE FROM resume_tokens WHERE draft_id IN ({chosen})", (cutoff,))
                c.execute(f"DELETE FROM files WHERE draft_id IN ({chosen})", (cutoff,))
            return _count_or_delete(c, where, "drafts", (cutoff,), apply)

    def unreferenced_files(self, before: datetime, apply: bool) -> int:
        """File contents no ``files`` row refers to, last modified before ``before``."""
        limit = before.timestamp()
        conn = self._db.conn()
        gone = 0
        for sha, modified in self._files.listing():
            if modified >= limit:
                continue
            if conn.execute("SELECT 1 FROM files WHERE sha256 = ? LIMIT 1", (sha,)).fetchone():
                continue
            gone += 1
            if apply:
                self._files.delete(sha)
        return gone

    def closed_cases(self, closed_before: dict[str | None, datetime | None]) -> list[str]:
        """Top-level cases closed before their matter's cutoff (``closed_before[matter]``, or
        ``[None]`` for every other matter; a None cutoff keeps them forever), not yet purged."""
        marks = ",".join("?" * len(CLOSED_STATUSES))
        rows = (
            self._db.conn()
            .execute(
                "SELECT s.case_no, s.matter_id, s.at FROM case_status s"
                " JOIN cases c ON c.case_no = s.case_no"
                f" WHERE s.top = 1 AND s.status IN ({marks}) AND c.purged_at IS NULL"
                " ORDER BY s.at",
                CLOSED_STATUSES,
            )
            .fetchall()
        )
        due = []
        for case_no, matter_id, at in rows:
            cutoff = closed_before.get(matter_id, closed_before.get(None))
            if cutoff is not None and datetime.fromisoformat(at) < cutoff:
                due.append(case_no)
        return due

    def purge_case(self, case_no: str, actor: str, reason: str) -> int:
        """Remove the personal data of a closed case and its sub-cases (module docstring);
        returns how many case rows were purged."""
        now = self._db.now()
        with self._db.write() as c:
            rows = c.execute(
                "SELECT case_no, matter_id, draft_id FROM cases"
                " WHERE (case_no = ? OR parent_case_no = ?) AND purged_at IS NULL",
                (case_no, case_no),
            ).fetchall()
            for row in rows:
                answers = "{}"
                summary = json.dumps(
                    {"matter_id": row["matter_id"], "purged": now},
                    ensure_ascii=False,
                    separators=(",", ":"),
                )
                c.execute(
                    "UPDATE cases SET answers = ?, summary = ?, purged_at = ? WHERE case_no = ?",
                    (answers, summary, now, row["case_no"]),
                )
                c.execute("UPDATE drafts SET answers = '{}' WHERE id = ?", (row["draft_id"],))
                c.execute("DELETE FROM files WHERE draft_id = ?", (row["draft_id"],))
                data = {
                    "reason": reason,
                    event_log.DIGEST_KEY: event_log.submission_digest(answers, summary),
                }
                event_log.append(c, row["case_no"], PURGED, now, actor=actor, data=data)
        return len(rows)
