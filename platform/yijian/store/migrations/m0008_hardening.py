"""Migration 8: draft secrets, sign-in throttle counters, retention bookkeeping.

* ``drafts.secret_hash``: the sha256 of the HttpOnly secret that alone opens an anonymous
  draft (the id is in every URL, so it cannot be the key). NULL for owned drafts and for
  anonymous drafts started before this migration (those can no longer be opened anonymously:
  an id alone grants nothing).
* ``throttle``: failed attempts per key (an account, a client address, a resume or
  correction code's client) in the store, so every app process sees the same counts.
* ``cases.purged_at``: when the personal data of a closed case past its 档案 retention was
  removed (the case row and its event chain stay; the purge is an event on the chain).
"""

SQL = """
ALTER TABLE drafts ADD COLUMN secret_hash TEXT;
CREATE INDEX drafts_abandoned ON drafts (status, updated_at);
CREATE INDEX sessions_expiry ON sessions (expires_at);
CREATE INDEX resume_tokens_expiry ON resume_tokens (expires_at);

CREATE TABLE throttle (
    key TEXT PRIMARY KEY,           -- "<scope>:<kind>:<sha256 of the account or client>"
    failures INTEGER NOT NULL,      -- failed attempts in the current window
    first_at TEXT NOT NULL,         -- start of the window
    last_at TEXT NOT NULL,          -- the latest failure: the next try waits from here
    locked_until TEXT,              -- a temporary lock after too many failures
    notified_at TEXT                -- when the account holder was told (once per lock)
) WITHOUT ROWID;
CREATE INDEX throttle_last ON throttle (last_at);

ALTER TABLE cases ADD COLUMN purged_at TEXT;
"""
