"""Sign-in sessions: the cookie holds a random id, the database holds only its sha256.

A session is valid while it has not expired (14 days) and its version equals the user's
``session_version``; that comparison runs on every request, so a bump signs out every device.
"""

from __future__ import annotations

import secrets
from datetime import timedelta

from yijian.store.db import Database, iso, secret_digest
from yijian.store.users import User

__all__ = ["SESSION_DAYS", "Sessions"]

SESSION_DAYS = 14


class Sessions:
    def __init__(self, db: Database):
        self._db = db

    def create(self, user_id: int) -> str:
        """A new session id (32 random bytes, urlsafe) for the user's current version."""
        session_id = secrets.token_urlsafe(32)
        now = self._db.clock()
        with self._db.write() as c:
            c.execute(
                "INSERT INTO sessions (id, user_id, version, created_at, expires_at)"
                " SELECT ?, id, session_version, ?, ? FROM users WHERE id = ?",
                (
                    secret_digest(session_id),
                    self._db.now(),
                    iso(now + timedelta(days=SESSION_DAYS)),
                    user_id,
                ),
            )
        return session_id

    def get(self, session_id: str) -> User | None:
        """The signed-in user, or None for an unknown, expired or outdated session."""
        if not session_id or len(session_id) > 100:
            return None
        row = (
            self._db.conn()
            .execute(
                "SELECT u.id, u.phone, u.name, u.session_version, u.password_hash"
                " FROM sessions s JOIN users u ON u.id = s.user_id"
                " WHERE s.id = ? AND s.expires_at > ? AND s.version = u.session_version",
                (secret_digest(session_id), self._db.now()),
            )
            .fetchone()
        )
        if row is None:
            return None
        return User(row[0], row[1], row[2], row[3], row[4])

    def revoke(self, session_id: str) -> None:
        with self._db.write() as c:
            c.execute("DELETE FROM sessions WHERE id = ?", (secret_digest(session_id),))
