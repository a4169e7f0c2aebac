"""Migration 1: users, sessions, drafts, resume tokens, cases, events, files."""

from yijian.store.dialect import refuse_trigger

SQL = """
CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    phone TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,
    name TEXT NOT NULL,
    session_version INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL
);

-- The id column holds sha256(session id): a copy of the database gives no live session.
CREATE TABLE sessions (
    id TEXT PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    version INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE drafts (
    id TEXT PRIMARY KEY,
    owner_id INTEGER REFERENCES users (id),
    matter_id TEXT NOT NULL,
    version TEXT NOT NULL,
    answers TEXT NOT NULL DEFAULT '{}',
    page TEXT,
    status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'submitted')),
    case_no TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
-- Not on updated_at: every autosave would rewrite the index entry as well as the row.
CREATE INDEX drafts_owner ON drafts (owner_id);

-- Only sha256(token) is stored; a token is single use (used_at) and expires.
CREATE TABLE resume_tokens (
    token_hash TEXT PRIMARY KEY,
    draft_id TEXT NOT NULL REFERENCES drafts (id) ON DELETE CASCADE,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    used_at TEXT
);
CREATE INDEX resume_tokens_draft ON resume_tokens (draft_id);

-- One row per (region, day): the last case number handed out, bumped inside the submit.
CREATE TABLE case_sequences (
    region TEXT NOT NULL,
    day TEXT NOT NULL,
    last INTEGER NOT NULL,
    PRIMARY KEY (region, day)
) WITHOUT ROWID;

CREATE TABLE cases (
    case_no TEXT PRIMARY KEY,
    parent_case_no TEXT REFERENCES cases (case_no),
    position INTEGER NOT NULL DEFAULT 0,
    draft_id TEXT NOT NULL REFERENCES drafts (id),
    owner_id INTEGER REFERENCES users (id),
    matter_id TEXT NOT NULL,
    version TEXT NOT NULL,
    region TEXT NOT NULL,
    answers TEXT NOT NULL,
    summary TEXT NOT NULL,
    submitted_at TEXT NOT NULL
);
-- Idempotent submission: one top-level case per draft, whatever the number of POSTs.
CREATE UNIQUE INDEX cases_one_per_draft ON cases (draft_id) WHERE parent_case_no IS NULL;
CREATE INDEX cases_owner ON cases (owner_id, submitted_at);
-- Sub-cases are found by a range on the primary key (parent number + "-NN"): no extra index.

-- Append-only and hash-chained per case: hash = sha256(prev_hash + canonical JSON).
-- status is the case state after this event, or NULL when the event does not change it.
CREATE TABLE events (
    case_no TEXT NOT NULL REFERENCES cases (case_no),
    seq INTEGER NOT NULL,
    kind TEXT NOT NULL,
    status TEXT,
    actor TEXT,
    data TEXT NOT NULL,
    at TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL,
    PRIMARY KEY (case_no, seq)
) WITHOUT ROWID;
CREATE TRIGGER events_no_update BEFORE UPDATE ON events
BEGIN
    SELECT RAISE(ABORT, 'events are append-only');
END;
CREATE TRIGGER events_no_delete BEFORE DELETE ON events
BEGIN
    SELECT RAISE(ABORT, 'events are append-only');
END;

CREATE TABLE files (
    id TEXT PRIMARY KEY,
    sha256 TEXT NOT NULL,
    size INTEGER NOT NULL,
    mime TEXT NOT NULL,
    name TEXT NOT NULL,
    material_id TEXT NOT NULL,
    draft_id TEXT NOT NULL REFERENCES drafts (id),
    owner_id INTEGER REFERENCES users (id),
    created_at TEXT NOT NULL
);
CREATE INDEX files_draft ON files (draft_id, created_at);
CREATE INDEX files_sha ON files (sha256);
"""

PG_TRIGGERS = {
    "events_no_update": refuse_trigger(
        "events_no_update", "events", "UPDATE", "events are append-only"
    ),
    "events_no_delete": refuse_trigger(
        "events_no_delete", "events", "DELETE", "events are append-only"
    ),
}
