"""Migration 12: ``issued_documents``, every sealed document as it was issued.

Why keep the bytes: a signed PDF differs on every signing (time, signature), so "is this the
document we issued?" can only be answered against the one issued. The public verification page
looks a document up by its check code (查验码, printed with its QR code) and compares an
uploaded file's SHA-256 with the issued one. Status (valid, revoked, superseded) is not stored:
it is read from the case's events, like every other state.
"""

SQL = """
CREATE TABLE issued_documents (
    check_code TEXT PRIMARY KEY,
    case_no TEXT NOT NULL REFERENCES cases (case_no),
    event_seq INTEGER NOT NULL,
    title TEXT NOT NULL,
    issuer TEXT NOT NULL,
    holder TEXT NOT NULL,          -- masked: the page is public
    issued_at TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    pdf BLOB NOT NULL,
    UNIQUE (case_no, event_seq)
);
"""
