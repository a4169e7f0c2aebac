"""The e-licence library (migration 13): issue in the decision's transaction, look up later."""

from __future__ import annotations

import hashlib
import sqlite3
from dataclasses import dataclass

from yijian.runtime.licenceid import licence_id
from yijian.store.db import Database

__all__ = ["Licence", "Licences", "holder_key", "issue"]

_COLS = (
    "identifier, type_name, type_code, issuer, issuer_code, holder_key, holder_masked, owner_id,"
    " case_no, issued_on, valid_until"
)


def holder_key(id_number: str | None) -> str:
    """The holder as the library finds them: a hash of the ID number, never the number."""
    if not id_number:
        return ""
    return hashlib.sha256(("yijian-licence:" + id_number.strip().upper()).encode()).hexdigest()


@dataclass(frozen=True, slots=True)
class Licence:
    identifier: str
    type_name: str
    type_code: str
    issuer: str
    issuer_code: str
    holder_key: str
    holder_masked: str
    owner_id: int | None
    case_no: str
    issued_on: str
    valid_until: str | None


def issue(
    conn: sqlite3.Connection,
    *,
    type_name: str,
    type_code: str,
    issuer: str,
    issuer_code: str,
    holder_id: str | None,
    holder_masked: str,
    owner_id: int | None,
    case_no: str,
    issued_on: str,
    valid_until: str | None,
) -> Licence:
    """Issue one licence inside the caller's write transaction; the serial is the issuer's
    next of the year (``2025`` + 7 digits)."""
    year = int(issued_on[:4])
    last = conn.execute(
        "INSERT INTO licence_serials (issuer_code, year, last) VALUES (?, ?, 1)"
        " ON CONFLICT (issuer_code, year) DO UPDATE SET last = licence_serials.last + 1"
        " RETURNING last",
        (issuer_code, year),
    ).fetchone()[0]
    ident = licence_id(type_code, issuer_code, f"{year}{last:07d}")
    row = Licence(ident, type_name, type_code, issuer, issuer_code, holder_key(holder_id),
                  holder_masked, owner_id, case_no, issued_on, valid_until)  # fmt: skip
    conn.execute(f"INSERT INTO licences ({_COLS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                 (row.identifier, row.type_name, row.type_code, row.issuer, row.issuer_code,
                  row.holder_key, row.holder_masked, row.owner_id, row.case_no, row.issued_on,
                  row.valid_until))  # fmt: skip
    return row


class Licences:
    def __init__(self, db: Database):
        self._db = db

    def get(self, identifier: str) -> Licence | None:
        row = (
            self._db.conn()
            .execute(
                f"SELECT {_COLS} FROM licences WHERE identifier = ?", (identifier.strip().upper(),)
            )
            .fetchone()
        )
        return Licence(*row) if row else None

    def of_holder(self, id_number: str | None, type_name: str) -> list[Licence]:
        """The holder's licences of a type, newest first (a later matter fetches from here)."""
        key = holder_key(id_number)
        if not key:
            return []
        rows = (
            self._db.conn()
            .execute(
                f"SELECT {_COLS} FROM licences WHERE holder_key = ? AND type_name = ?"
                " ORDER BY issued_on DESC, identifier DESC",
                (key, type_name),
            )
            .fetchall()
        )
        return [Licence(*r) for r in rows]

    def of_owner(self, owner_id: int) -> list[Licence]:
        rows = (
            self._db.conn()
            .execute(
                f"SELECT {_COLS} FROM licences WHERE owner_id = ? ORDER BY issued_on DESC",
                (owner_id,),
            )
            .fetchall()
        )
        return [Licence(*r) for r in rows]

    def of_case(self, case_no: str) -> list[Licence]:
        rows = (
            self._db.conn()
            .execute(
                f"SELECT {_COLS} FROM licences WHERE case_no = ? OR case_no LIKE ?",
                (case_no, case_no + "-%"),
            )
            .fetchall()
        )
        return [Licence(*r) for r in rows]
