"""Citizen accounts: phone, password hash, name and the session version.

The password is hashed by the caller (``yijian.web.citizen.accounts``, in a thread pool): the
store never sees a clear password. ``session_version`` is copied into every session at sign-in;
bumping it signs the user out on every device at once.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field

from yijian.store.db import Database

__all__ = ["PhoneTaken", "User", "Users"]


class PhoneTaken(ValueError):
    """An account with this phone number exists already."""


@dataclass(frozen=True, slots=True)
class User:
    id: int
    phone: str = field(repr=False)  # personal data: kept out of logs and tracebacks
    name: str = field(repr=False)
    session_version: int = 1
    password_hash: str = field(default="", repr=False)


def _user(row: sqlite3.Row | None) -> User | None:
    if row is None:
        return None
    return User(
        id=row["id"],
        phone=row["phone"],
        name=row["name"],
        session_version=row["session_version"],
        password_hash=row["password_hash"],
    )


_COLUMNS = "id, phone, name, session_version, password_hash"


class Users:
    def __init__(self, db: Database):
        self._db = db

    def create(self, phone: str, password_hash: str, name: str) -> User:
        """A new account; raises ``PhoneTaken`` when the phone is registered already."""
        try:
            with self._db.write() as c:
                cur = c.execute(
                    "INSERT INTO users (phone, password_hash, name, created_at)"
                    " VALUES (?, ?, ?, ?) RETURNING id",
                    (phone, password_hash, name, self._db.now()),
                )
                user_id = cur.fetchone()[0]
        except sqlite3.IntegrityError as exc:
            raise PhoneTaken(phone) from exc
        assert user_id is not None
        return User(user_id, phone, name, 1, password_hash)

    def by_phone(self, phone: str) -> User | None:
        row = (
            self._db.conn()
            .execute(f"SELECT {_COLUMNS} FROM users WHERE phone = ?", (phone,))
            .fetchone()
        )
        return _user(row)

    def get(self, user_id: int) -> User | None:
        row = (
            self._db.conn()
            .execute(f"SELECT {_COLUMNS} FROM users WHERE id = ?", (user_id,))
            .fetchone()
        )
        return _user(row)

    def bump_session_version(self, user_id: int) -> None:
        """Invalidate every session of the user (sign out everywhere, password change)."""
        with self._db.write() as c:
            c.execute(
                "UPDATE users SET session_version = session_version + 1 WHERE id = ?", (user_id,)
            )

    def set_password_hash(self, user_id: int, password_hash: str) -> None:
        """Replace the hash (argon2 ``check_needs_rehash`` after a parameter change)."""
        with self._db.write() as c:
            c.execute("UPDATE users SET password_hash = ? WHERE id = ?", (password_hash, user_id))
