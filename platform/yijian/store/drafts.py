"""Drafts: a citizen's answers saved on the server at every change, and resume links.

A draft pins the definition ``version`` it started on, so a definition that changes while
someone is half-way does not move the ground under them (the form layer decides when to
migrate, by passing a new ``version`` to ``save``). A submitted draft is frozen.

An anonymous draft opens only with its secret (``bind_secret``): 32 random bytes kept in the
browser's HttpOnly cookie, never in a URL or a log line, of which the store keeps the sha256.
The draft id is no key: it is in every URL of the form. Binding again rotates the secret, so
whoever held the earlier one is shut out.

Resume links carry a random token; only its sha256 is stored. A token is single use and
expires; issuing a new one does *not* revoke the others still valid, so a citizen who pauses
twice still has a working link in the first e-mail or SMS (Open Forms bug #1959). Redeeming
one, though, ends every other link of the draft and its secret: a link planted in a victim's
browser from another site (draft fixation) then leaves the attacker holding nothing that
opens the draft the victim goes on to fill.

Autosaves are cheap on purpose (an htmx change saves on every answer): they commit without
waiting for the disk (``Database.write(durable=False)``, ``synchronous=NORMAL`` in WAL mode).
An application crash loses nothing; a power loss may lose the autosaves of about the last
second, which the citizen still has on screen and which the next change or page post saves
again. Creation, claims, resume tokens and submission stay fully durable. Saves of one draft
never overtake each other, even from two app processes: each takes the wall-clock nanoseconds
when called (kept increasing within a process), and the UPDATE writes only over an older
save's (``drafts.saved_ns``, migration 15), so a slow earlier save can never overwrite a later
one (see docs/performance.md, "Draft durability").
"""

from __future__ import annotations

import json
import secrets
import sqlite3
import threading
import time
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from yijian.store.db import Database, iso, secret_digest

__all__ = ["Draft", "Drafts", "encode_answers"]


@dataclass(frozen=True, slots=True)
class Draft:
    id: str
    owner_id: int | None
    matter_id: str
    version: str
    answers: dict[str, Any] = field(default_factory=dict, repr=False)  # never in logs
    page: str | None = None
    status: str = "open"
    created_at: str = ""
    updated_at: str = ""
    case_no: str | None = None
    #: ``answers`` exactly as stored (``encode_answers``), so a caller can tell whether the
    #: draft still holds what it saved by comparing text, without encoding the answers again.
    answers_text: str = field(default="", repr=False, compare=False)


def encode_answers(answers: dict[str, Any]) -> str:
    """The stored text of ``answers``; ``Drafts.save`` writes exactly this."""
    return json.dumps(answers, ensure_ascii=False, separators=(",", ":"))


_COLUMNS = (
    "id, owner_id, matter_id, version, answers, page, status, created_at, updated_at, case_no"
)


def _draft(row: sqlite3.Row, known: tuple[str, dict[str, Any]] | None = None) -> Draft:
    text = row["answers"]
    return Draft(
        id=row["id"],
        owner_id=row["owner_id"],
        matter_id=row["matter_id"],
        version=row["version"],
        answers=known[1] if known is not None and known[0] == text else json.loads(text),
        page=row["page"],
        status=row["status"],
        created_at=row["created_at"],
        updated_at=row["updated_at"],
        case_no=row["case_no"],
        answers_text=row["answers"],
    )


class Drafts:
    def __init__(self, db: Database):
        self._db = db
        self._seq_lock = threading.Lock()
        self._last_ns = 0  # the last save's call time: increasing even if the clock steps back

    def create(self, matter_id: str, version: str, owner_id: int | None) -> Draft:
        """An empty draft with a random 22-character id (16 bytes: not guessable)."""
        draft_id = secrets.token_urlsafe(16)
        now = self._db.now()
        with self._db.write() as c:
            c.execute(
                "INSERT INTO drafts (id, owner_id, matter_id, version, created_at, updated_at)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                (draft_id, owner_id, matter_id, version, now, now),
            )
        return Draft(draft_id, owner_id, matter_id, version, {}, None, "open", now, now)

    def get(self, draft_id: str, known: tuple[str, dict[str, Any]] | None = None) -> Draft | None:
        """The draft; ``known``: (text, answers) the caller last saved (``encode_answers``):
        when the stored text is exactly that text, those answers are used as they are instead
        of decoding it again (the caller must then not change them in place)."""
        row = (
            self._db.conn()
            .execute(f"SELECT {_COLUMNS} FROM drafts WHERE id = ?", (draft_id,))
            .fetchone()
        )
        return _draft(row, known) if row else None

    def save(
        self,
        draft_id: str,
        answers: dict[str, Any],
        page: str | None,
        version: str | None = None,
        text: str | None = None,
    ) -> bool:
        """Store the answers and the page reached; a submitted draft is left as it was.

        An autosave: committed without waiting for the disk (see the module docstring).
        ``text``: ``encode_answers(answers)`` when the caller already has it (it keeps the text
        to recognise the draft later; encoding twice would cost as much as the save).
        Returns False when nothing was written: the draft is submitted or unknown, or a save
        of the same draft called later than this one was already written.
        """
        with self._seq_lock:  # taken at the call: "later" means called later
            seq = self._last_ns = max(time.time_ns(), self._last_ns + 1)
        if text is None:
            text = encode_answers(answers)
        with self._db.write(durable=False) as c:
            cur = c.execute(
                "UPDATE drafts SET answers = ?, page = ?, version = COALESCE(?, version),"
                " updated_at = ?, saved_ns = ? WHERE id = ? AND status = 'open'"
                " AND (saved_ns IS NULL OR saved_ns < ?)",
                (text, page, version, self._db.now(), seq, draft_id, seq),
            )
            return cur.rowcount > 0

    def save_many(
        self, saves: list[tuple[str, dict[str, Any], str | None, str | None]]
    ) -> list[bool]:
        """Several autosaves (draft id, answers, page, text or None) in one transaction, in
        this order, each exactly as ``save`` would write it (and each taking its sequence
        number now, in order); one True/False per save. Why: the web's store thread drains
        the answer changes that arrived together (``web.offload.StoreLane``), and one
        relaxed COMMIT for all of them costs about what one save did. If the transaction
        fails, none is written and the error is raised for all of them."""
        seqs = []
        with self._seq_lock:
            for _ in saves:
                self._last_ns = max(time.time_ns(), self._last_ns + 1)
                seqs.append(self._last_ns)
        rows = [
            (text if text is not None else encode_answers(answers), page, draft_id, seq)
            for (draft_id, answers, page, text), seq in zip(saves, seqs, strict=True)
        ]
        with self._db.write(durable=False) as c:
            now = self._db.now()
            return [
                c.execute(
                    "UPDATE drafts SET answers = ?, page = ?, updated_at = ?, saved_ns = ?"
                    " WHERE id = ? AND status = 'open' AND (saved_ns IS NULL OR saved_ns < ?)",
                    (text, page, now, seq, draft_id, seq),
                ).rowcount
                > 0
                for text, page, draft_id, seq in rows
            ]

    def claim(self, draft_id: str, owner_id: int) -> None:
        """Give an anonymous draft (its files, and its case once submitted) to the user who
        just signed in on the browser that filled it.

        Only a draft without an owner can be claimed: knowing another person's draft id is
        not enough to take it over.
        """
        with self._db.write() as c:
            cur = c.execute(
                "UPDATE drafts SET owner_id = ? WHERE id = ? AND owner_id IS NULL",
                (owner_id, draft_id),
            )
            if cur.rowcount:
                c.execute(
                    "UPDATE files SET owner_id = ? WHERE draft_id = ? AND owner_id IS NULL",
                    (owner_id, draft_id),
                )
                c.execute(  # the case and its sub-cases: 我的办件 shows what this browser filed
                    "UPDATE cases SET owner_id = ? WHERE draft_id = ? AND owner_id IS NULL",
                    (owner_id, draft_id),
                )

    def for_owner(self, owner_id: int) -> list[Draft]:
        """The user's drafts, most recently changed first."""
        rows = (
            self._db.conn()
            .execute(
                f"SELECT {_COLUMNS} FROM drafts WHERE owner_id = ? ORDER BY updated_at DESC",
                (owner_id,),
            )
            .fetchall()
        )
        return [_draft(r) for r in rows]

    def resume_token(self, draft_id: str, ttl_hours: int = 72) -> str:
        """A new single-use resume token; earlier unexpired tokens keep working."""
        token = secrets.token_urlsafe(32)
        now = self._db.clock()
        with self._db.write() as c:
            c.execute(
                "INSERT INTO resume_tokens (token_hash, draft_id, created_at, expires_at)"
                " VALUES (?, ?, ?, ?)",
                (secret_digest(token), draft_id, iso(now), iso(now + timedelta(hours=ttl_hours))),
            )
        return token

    def redeem(self, token: str) -> str | None:
        """The draft id for a valid token, consuming it; None if unknown, expired or used."""
        if not token or len(token) > 100:
            return None
        now = self._db.now()
        with self._db.write() as c:
            row = c.execute(
                "UPDATE resume_tokens SET used_at = ?"
                " WHERE token_hash = ? AND used_at IS NULL AND expires_at > ?"
                " RETURNING draft_id",
                (now, secret_digest(token), now),
            ).fetchone()
            if row is None:
                return None
            # Every other holder is shut out: other links of the draft and its secret end.
            c.execute(
                "UPDATE resume_tokens SET used_at = ? WHERE draft_id = ? AND used_at IS NULL",
                (now, row[0]),
            )
            c.execute("UPDATE drafts SET secret_hash = NULL WHERE id = ?", (row[0],))
        return str(row[0])

    def bind_secret(self, draft_id: str) -> str:
        """A new secret for the draft, replacing any earlier one (rotation): the browser that
        receives it, in an HttpOnly cookie, is the only one that opens the anonymous draft."""
        secret = secrets.token_urlsafe(32)
        with self._db.write() as c:
            c.execute(
                "UPDATE drafts SET secret_hash = ? WHERE id = ?", (secret_digest(secret), draft_id)
            )
        return secret

    def holding(self, secrets_by_id: dict[str, str]) -> set[str]:
        """The draft ids among ``secrets_by_id`` whose secret is the draft's current one."""
        if not secrets_by_id:
            return set()
        ids = list(secrets_by_id)
        marks = ",".join("?" * len(ids))
        rows = (
            self._db.conn()
            .execute(f"SELECT id, secret_hash FROM drafts WHERE id IN ({marks})", ids)
            .fetchall()
        )
        return {
            r["id"]
            for r in rows
            if r["secret_hash"] is not None
            and secrets.compare_digest(r["secret_hash"], secret_digest(secrets_by_id[r["id"]]))
        }
