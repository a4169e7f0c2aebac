"""The credit flag 容缺受理 consults: who broke a commitment, by hashed ID number."""

from __future__ import annotations

import hashlib
import sqlite3

from yijian.store.db import Database

__all__ = ["Credit", "flag_in", "subject_of"]


def subject_of(id_number: str) -> str:
    """The applicant as the flag knows them: a hash, not the number."""
    return hashlib.sha256(("yijian-credit:" + id_number.strip().upper()).encode()).hexdigest()


def flag_in(conn: sqlite3.Connection, id_number: str, case_no: str, at: str) -> None:
    """The flag inside a caller's write transaction: a revocation (告知承诺 found false) and
    its flag commit together."""
    conn.execute(
        "INSERT INTO broken_commitments (subject, case_no, at) VALUES (?, ?, ?)"
        " ON CONFLICT (subject, case_no) DO NOTHING",
        (subject_of(id_number), case_no, at),
    )


class Credit:
    def __init__(self, db: Database):
        self._db = db

    def flag(self, id_number: str, case_no: str) -> None:
        with self._db.write() as c:
            c.execute(
                "INSERT INTO broken_commitments (subject, case_no, at) VALUES (?, ?, ?)"
                " ON CONFLICT (subject, case_no) DO NOTHING",
                (subject_of(id_number), case_no, self._db.now()),
            )

    def flagged(self, id_number: str | None) -> bool:
        if not id_number:
            return False
        with self._db.read() as c:
            row = c.execute(
                "SELECT 1 FROM broken_commitments WHERE subject = ? AND repaired_at IS NULL",
                (subject_of(id_number),),
            ).fetchone()
        return row is not None
