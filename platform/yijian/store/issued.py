"""Issued documents (migration 12): the sealed PDF as issued, found by its check code."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass, field

from yijian.store.db import Database

__all__ = ["ALPHABET", "Issued", "IssuedDocuments", "new_check_code"]

#: No 0/O, 1/I/L: a code read aloud on the phone or typed from paper must not be misread.
ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


def new_check_code() -> str:
    """12 characters (≈ 59 bits): unguessable, short enough to type."""
    return "".join(secrets.choice(ALPHABET) for _ in range(12))


@dataclass(frozen=True, slots=True)
class Issued:
    check_code: str
    case_no: str
    event_seq: int
    title: str
    issuer: str
    holder: str
    issued_at: str
    sha256: str
    pdf: bytes = field(repr=False)


_COLS = "check_code, case_no, event_seq, title, issuer, holder, issued_at, sha256, pdf"


class IssuedDocuments:
    def __init__(self, db: Database):
        self._db = db

    def record(
        self, code: str, case_no: str, seq: int, title: str, issuer: str, holder: str, pdf: bytes
    ) -> Issued:
        """Keep the document as issued; if another request issued the same notice first, that
        one is the document (it was served already) and is returned instead."""
        digest = hashlib.sha256(pdf).hexdigest()
        with self._db.write() as c:
            c.execute(
                f"INSERT INTO issued_documents ({_COLS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
                " ON CONFLICT (case_no, event_seq) DO NOTHING",
                (code, case_no, seq, title, issuer, holder, self._db.now(), digest, pdf),
            )
        found = self.of_event(case_no, seq)
        assert found is not None
        return found

    def of_event(self, case_no: str, seq: int) -> Issued | None:
        row = (
            self._db.conn()
            .execute(
                f"SELECT {_COLS} FROM issued_documents WHERE case_no = ? AND event_seq = ?",
                (case_no, seq),
            )
            .fetchone()
        )
        return Issued(*row) if row else None

    def later_same_title(self, doc: Issued) -> bool:
        """Whether the case issued a later document of the same title (it replaces this)."""
        row = (
            self._db.conn()
            .execute(
                "SELECT 1 FROM issued_documents WHERE case_no = ? AND title = ? AND event_seq > ?",
                (doc.case_no, doc.title, doc.event_seq),
            )
            .fetchone()
        )
        return row is not None

    def missing(self, kinds: list[str], since: str, limit: int = 50) -> list[tuple[str, int]]:
        """(case, event) of notice events since ``since`` not issued yet, oldest first: the
        worker issues them ahead of the first download."""
        marks = ", ".join("?" for _ in kinds)
        rows = (
            self._db.conn()
            .execute(
                "SELECT e.case_no, e.seq FROM events e LEFT JOIN issued_documents d"
                " ON d.case_no = e.case_no AND d.event_seq = e.seq"
                f" WHERE e.kind IN ({marks}) AND e.at >= ? AND d.check_code IS NULL"
                " ORDER BY e.at, e.case_no, e.seq LIMIT ?",
                (*kinds, since, limit),
            )
            .fetchall()
        )
        return [(r[0], int(r[1])) for r in rows]

    def by_code(self, code: str) -> Issued | None:
        row = (
            self._db.conn()
            .execute(
                f"SELECT {_COLS} FROM issued_documents WHERE check_code = ?", (code.upper()[:16],)
            )
            .fetchone()
        )
        return Issued(*row) if row else None
