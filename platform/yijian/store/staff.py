"""Staff accounts: members, their grants (role × region × department) and staff sessions.

Staff are people kept in the store, not definitions (docs/staff.md). A member signs in apart
from citizens: ``staff_sessions`` holds sha256(session id) and the member's
``session_version`` at sign-in, and a session counts only while that version is current and
the member is not disabled, both checked against the database on every lookup (as citizen
sessions are). Disabling a member, or setting a new password, bumps the version and deletes
the member's sessions in the same transaction.

Every change is one transaction together with its entry in the staff audit trail
(:mod:`yijian.store.audit`) naming the acting admin. Callers validate names, regions and
departments (``yijian.office.staff``); this module keeps the rows and the invariants SQL can
hold (unique login, fixed roles, a department exactly for reviewers).
"""

from __future__ import annotations

import secrets
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import timedelta

from yijian.store import audit as _audit
from yijian.store.db import Database, iso, secret_digest

__all__ = [
    "ROLES",
    "STAFF_SESSION_HOURS",
    "Grant",
    "GrantExists",
    "LoginTaken",
    "StaffMember",
    "StaffNotFound",
    "StaffStore",
]

#: The fixed roles, as in the ``staff_grants.role`` CHECK constraint.
ROLES = ("clerk", "reviewer", "approver", "supervisor", "admin")
#: A staff session lasts one working day; citizens keep theirs 14 days.
STAFF_SESSION_HOURS = 12


class LoginTaken(ValueError):
    """A staff member with this login exists already."""


class GrantExists(ValueError):
    """The member holds this grant already."""


class StaffNotFound(LookupError):
    """No staff member with this id."""


@dataclass(frozen=True, slots=True)
class Grant:
    id: int
    staff_id: int
    role: str
    region: str
    department: str | None = None  # reviewers only


@dataclass(frozen=True, slots=True)
class StaffMember:
    id: int
    login: str
    name: str
    phone: str | None = field(default=None, repr=False)  # personal data: not in logs
    disabled: bool = False
    session_version: int = 1
    created_at: str = ""
    grants: tuple[Grant, ...] = ()
    password_hash: str = field(default="", repr=False)


GrantSpec = tuple[str, str, str | None]  # role, region, department
_COLUMNS = "id, login, name, phone, disabled, session_version, created_at, password_hash"


def _grant(row: sqlite3.Row) -> Grant:
    return Grant(row[0], row[1], row[2], row[3], row[4] or None)


class StaffStore:
    def __init__(self, db: Database):
        self._db = db

    # -- reading -----------------------------------------------------------------------

    def _members(self, conn: sqlite3.Connection, where: str, params: tuple) -> list[StaffMember]:
        rows = conn.execute(f"SELECT {_COLUMNS} FROM staff {where}", params).fetchall()
        if not rows:
            return []
        ids = [r[0] for r in rows]
        grants: dict[int, list[Grant]] = {i: [] for i in ids}
        marks = ",".join("?" * len(ids))
        for g in conn.execute(
            "SELECT id, staff_id, role, region, department FROM staff_grants"
            f" WHERE staff_id IN ({marks}) ORDER BY id",
            ids,
        ):
            grants[g[1]].append(_grant(g))
        return [
            StaffMember(r[0], r[1], r[2], r[3], bool(r[4]), r[5], r[6], tuple(grants[r[0]]), r[7])
            for r in rows
        ]

    def get(self, staff_id: int) -> StaffMember | None:
        with self._db.read() as c:
            found = self._members(c, "WHERE id = ?", (staff_id,))
        return found[0] if found else None

    def by_login(self, login: str) -> StaffMember | None:
        with self._db.read() as c:
            found = self._members(c, "WHERE login = ?", (login,))
        return found[0] if found else None

    def members(self) -> list[StaffMember]:
        """Every member (disabled ones too), by login."""
        with self._db.read() as c:
            return self._members(c, "ORDER BY login", ())

    def audit(self, subject: int | None = None) -> list[_audit.AuditEntry]:
        """The audit trail, or the entries about one member."""
        with self._db.read() as c:
            return _audit.entries(c, subject)

    def verify_audit(self) -> bool:
        return _audit.verify(self.audit())

    # -- changing (each with its audit entry, in one transaction) ----------------------

    def add(
        self,
        login: str,
        name: str,
        password_hash: str,
        *,
        actor: str,
        phone: str | None = None,
        grants: Iterable[GrantSpec] = (),
    ) -> StaffMember:
        """A new member with its first grants; ``LoginTaken`` if the login is in use."""
        now = self._db.now()
        try:
            with self._db.write() as c:
                cur = c.execute(
                    "INSERT INTO staff (login, name, phone, password_hash, created_at)"
                    " VALUES (?, ?, ?, ?, ?) RETURNING id",
                    (login, name, phone, password_hash, now),
                )
                staff_id = cur.fetchone()[0]
                assert staff_id is not None
                _audit.append(
                    c,
                    "staff_added",
                    now,
                    actor=actor,
                    subject=staff_id,
                    data={"login": login, "name": name, "phone": bool(phone)},
                )
                for role, region, department in dict.fromkeys(grants):
                    self._insert_grant(c, staff_id, role, region, department, actor, now)
        except sqlite3.IntegrityError as exc:
            if "staff.login" in str(exc):
                raise LoginTaken(login) from exc
            raise
        member = self.get(staff_id)
        assert member is not None
        return member

    def _insert_grant(
        self,
        c: sqlite3.Connection,
        staff_id: int,
        role: str,
        region: str,
        department: str | None,
        actor: str,
        now: str,
    ) -> Grant:
        if role not in ROLES:
            raise ValueError(f"unknown role {role!r}")
        try:
            cur = c.execute(
                "INSERT INTO staff_grants (staff_id, role, region, department, created_at)"
                " VALUES (?, ?, ?, ?, ?) RETURNING id",
                (staff_id, role, region, department or "", now),
            )
            grant_id = int(cur.fetchone()[0])
        except sqlite3.IntegrityError as exc:
            if "UNIQUE" in str(exc):
                raise GrantExists((role, region, department)) from exc
            raise
        data = {"role": role, "region": region, "department": department}
        _audit.append(c, "grant_added", now, actor=actor, subject=staff_id, data=data)
        return Grant(grant_id, staff_id, role, region, department or None)

    def grant(
        self, staff_id: int, role: str, region: str, department: str | None, *, actor: str
    ) -> Grant:
        """Add a grant; ``GrantExists`` when held already, ``StaffNotFound`` for a bad id."""
        now = self._db.now()
        with self._db.write() as c:
            if c.execute("SELECT 1 FROM staff WHERE id = ?", (staff_id,)).fetchone() is None:
                raise StaffNotFound(staff_id)
            return self._insert_grant(c, staff_id, role, region, department, actor, now)

    def revoke(self, grant_id: int, *, actor: str) -> Grant | None:
        """Remove a grant (history stays in the audit trail); None if there is no such grant."""
        now = self._db.now()
        with self._db.write() as c:
            row = c.execute(
                "DELETE FROM staff_grants WHERE id = ?"
                " RETURNING id, staff_id, role, region, department",
                (grant_id,),
            ).fetchone()
            if row is None:
                return None
            gone = _grant(row)
            data = {"role": gone.role, "region": gone.region, "department": gone.department}
            _audit.append(c, "grant_revoked", now, actor=actor, subject=gone.staff_id, data=data)
        return gone

    def set_disabled(self, staff_id: int, disabled: bool, *, actor: str) -> bool:
        """Disable (signing out everywhere) or enable again; False when nothing changed."""
        now = self._db.now()
        with self._db.write() as c:
            row = c.execute(
                "UPDATE staff SET disabled = ?, session_version = session_version + ?"
                " WHERE id = ? AND disabled <> ? RETURNING id",
                (int(disabled), int(disabled), staff_id, int(disabled)),
            ).fetchone()
            if row is None:
                if c.execute("SELECT 1 FROM staff WHERE id = ?", (staff_id,)).fetchone() is None:
                    raise StaffNotFound(staff_id)
                return False
            if disabled:
                c.execute("DELETE FROM staff_sessions WHERE staff_id = ?", (staff_id,))
            kind = "staff_disabled" if disabled else "staff_enabled"
            _audit.append(c, kind, now, actor=actor, subject=staff_id)
        return True

    def set_password_hash(self, staff_id: int, password_hash: str, *, actor: str) -> None:
        """A new password: every session of the member ends (the hash is not audited)."""
        now = self._db.now()
        with self._db.write() as c:
            row = c.execute(
                "UPDATE staff SET password_hash = ?, session_version = session_version + 1"
                " WHERE id = ? RETURNING id",
                (password_hash, staff_id),
            ).fetchone()
            if row is None:
                raise StaffNotFound(staff_id)
            c.execute("DELETE FROM staff_sessions WHERE staff_id = ?", (staff_id,))
            _audit.append(c, "password_set", now, actor=actor, subject=staff_id)

    def rehash(self, staff_id: int, old_hash: str, new_hash: str) -> None:
        """Same password, new argon2 parameters (after sign-in): not a change anyone made, so
        no audit entry and no sign-out; only replaces ``old_hash`` (a concurrent password
        change wins)."""
        with self._db.write() as c:
            c.execute(
                "UPDATE staff SET password_hash = ? WHERE id = ? AND password_hash = ?",
                (new_hash, staff_id, old_hash),
            )

    # -- sessions ----------------------------------------------------------------------

    def create_session(self, staff_id: int, *, via: str = "password") -> str | None:
        """A new session id for an enabled member (None if disabled or unknown); audited."""
        session_id = secrets.token_urlsafe(32)
        now = self._db.clock()
        with self._db.write() as c:
            cur = c.execute(
                "INSERT INTO staff_sessions (id, staff_id, version, created_at, expires_at)"
                " SELECT ?, id, session_version, ?, ? FROM staff WHERE id = ? AND disabled = 0",
                (
                    secret_digest(session_id),
                    iso(now),
                    iso(now + timedelta(hours=STAFF_SESSION_HOURS)),
                    staff_id,
                ),
            )
            if cur.rowcount != 1:
                return None
            _audit.append(
                c,
                "signed_in",
                iso(now),
                actor=f"staff:{staff_id}",
                subject=staff_id,
                data={"via": via},
            )
        return session_id

    def session(self, session_id: str) -> StaffMember | None:
        """The signed-in member with current grants; None if unknown, expired, outdated or
        disabled."""
        if not session_id or len(session_id) > 100:
            return None
        with self._db.read() as c:
            found = self._members(
                c,
                "WHERE disabled = 0 AND id = (SELECT s.staff_id FROM staff_sessions s"
                " WHERE s.id = ? AND s.expires_at > ? AND s.version = staff.session_version)",
                (secret_digest(session_id), self._db.now()),
            )
        return found[0] if found else None

    def end_session(self, session_id: str) -> None:
        """Sign out this device."""
        with self._db.write() as c:
            c.execute("DELETE FROM staff_sessions WHERE id = ?", (secret_digest(session_id),))
