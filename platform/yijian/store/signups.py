"""Sign-ups waiting for their phone's code (migration 14); see the migration for why."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from yijian.store.db import Database, iso

__all__ = ["MAX_ATTEMPTS", "Pending", "Signups"]

MAX_ATTEMPTS = 5
TTL = timedelta(minutes=10)


def _h(text: str) -> str:
    return hashlib.sha256(("yijian-signup:" + text).encode()).hexdigest()


@dataclass(frozen=True, slots=True)
class Pending:
    phone: str
    name: str
    password_hash: str = field(repr=False)


class Signups:
    def __init__(self, db: Database):
        self._db = db

    def start(
        self, phone: str, name: str, password_hash: str, registered: bool
    ) -> tuple[str, str | None]:
        """(the browser's token, the code to text) — no code for a registered phone."""
        token = secrets.token_urlsafe(32)
        code = None if registered else f"{secrets.randbelow(1_000_000):06d}"
        now = self._db.clock()
        with self._db.write() as c:
            c.execute(
                "INSERT INTO pending_signups (token_hash, phone, name, password_hash, code_hash,"
                " created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (_h(token), phone, name, password_hash, _h(code) if code else "", iso(now),
                 iso(now + TTL)),
            )  # fmt: skip
        return token, code

    def phone_of(self, token: str) -> str | None:
        row = (
            self._db.conn()
            .execute("SELECT phone FROM pending_signups WHERE token_hash = ?", (_h(token),))
            .fetchone()
        )
        return row[0] if row else None

    def confirm(self, token: str, code: str) -> Pending | None:
        """The sign-up when ``code`` is its code, in time and within the tries; then it is
        gone. None otherwise (a registered phone's sign-up never confirms)."""
        now = iso(self._db.clock())
        with self._db.write() as c:
            row = c.execute(
                "SELECT phone, name, password_hash, code_hash, expires_at, attempts"
                " FROM pending_signups WHERE token_hash = ?",
                (_h(token),),
            ).fetchone()
            if row is None:
                return None
            phone, name, password_hash, code_hash, expires, attempts = row
            right = bool(code_hash) and hmac.compare_digest(code_hash, _h(code.strip()))
            if not right or expires < now or attempts >= MAX_ATTEMPTS:
                c.execute(
                    "UPDATE pending_signups SET attempts = attempts + 1 WHERE token_hash = ?",
                    (_h(token),),
                )
                return None
            c.execute("DELETE FROM pending_signups WHERE token_hash = ?", (_h(token),))
        return Pending(phone, name, password_hash)

    def purge(self, before: datetime) -> int:
        """Delete sign-ups that expired before ``before`` (the retention chore)."""
        with self._db.write() as c:
            return c.execute(
                "DELETE FROM pending_signups WHERE expires_at < ?", (iso(before),)
            ).rowcount
