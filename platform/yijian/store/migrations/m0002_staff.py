"""Migration 2: staff members, their grants, staff sessions and the staff audit trail.

Staff are kept apart from citizens (``users``): another sign-in, another cookie, another
session table, so a citizen session can never be read as a staff one. The audit trail has its
own table because ``events`` belongs to cases (``case_no`` references ``cases``): an account
change has no case. It is append-only and carries one hash chain over the whole table.
"""

from yijian.store.dialect import refuse_trigger

SQL = """
CREATE TABLE staff (
    id INTEGER PRIMARY KEY,
    login TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    phone TEXT,
    password_hash TEXT NOT NULL DEFAULT '',
    disabled INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
    session_version INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL
);

-- department is '' except for reviewers, who need one ('' rather than NULL: the unique index
-- must treat two department-less grants as equal, and NULLs never are).
CREATE TABLE staff_grants (
    id INTEGER PRIMARY KEY,
    staff_id INTEGER NOT NULL REFERENCES staff (id),
    role TEXT NOT NULL
        CHECK (role IN ('clerk', 'reviewer', 'approver', 'supervisor', 'admin')),
    region TEXT NOT NULL,
    department TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    CHECK ((role = 'reviewer') = (department <> ''))
);
CREATE UNIQUE INDEX staff_grants_unique ON staff_grants (staff_id, role, region, department);

-- Like sessions: only sha256(session id) is stored; valid while version = staff.session_version.
CREATE TABLE staff_sessions (
    id TEXT PRIMARY KEY,
    staff_id INTEGER NOT NULL REFERENCES staff (id) ON DELETE CASCADE,
    version INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
);
CREATE INDEX staff_sessions_staff ON staff_sessions (staff_id);

-- Append-only, one chain: hash = sha256(prev_hash + canonical JSON); subject is the staff id.
CREATE TABLE staff_audit (
    seq INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    subject INTEGER,
    actor TEXT NOT NULL,
    data TEXT NOT NULL,
    at TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
);
CREATE INDEX staff_audit_subject ON staff_audit (subject, seq);
CREATE TRIGGER staff_audit_no_update BEFORE UPDATE ON staff_audit
BEGIN
    SELECT RAISE(ABORT, 'the staff audit trail is append-only');
END;
CREATE TRIGGER staff_audit_no_delete BEFORE DELETE ON staff_audit
BEGIN
    SELECT RAISE(ABORT, 'the staff audit trail is append-only');
END;
"""

PG_TRIGGERS = {
    "staff_audit_no_update": refuse_trigger(
        "staff_audit_no_update", "staff_audit", "UPDATE", "the staff audit trail is append-only"
    ),
    "staff_audit_no_delete": refuse_trigger(
        "staff_audit_no_delete", "staff_audit", "DELETE", "the staff audit trail is append-only"
    ),
}
