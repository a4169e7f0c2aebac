"""Migration 3: the outbox of notifications (and, later, documents to render).

A row is written in the same transaction as the event it announces, so an event never goes
without its message and a message never announces an event that rolled back. A sender claims
due rows with a lease (a crashed sender's lease runs out and another takes the row), delivers,
and marks them sent or failed with the next attempt pushed back. ``idempotency_key`` makes a
second enqueue of the same message (a retried action) a no-op.
"""

SQL = """
CREATE TABLE outbox (
    id INTEGER PRIMARY KEY,
    idempotency_key TEXT NOT NULL UNIQUE,
    case_no TEXT,
    event_seq INTEGER,
    channel TEXT NOT NULL,
    recipient TEXT NOT NULL,
    template TEXT NOT NULL,
    data TEXT NOT NULL,
    created_at TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT NOT NULL,
    leased_until TEXT,
    lease_owner TEXT,
    sent_at TEXT,
    dead INTEGER NOT NULL DEFAULT 0,
    last_error TEXT
);
CREATE INDEX outbox_due ON outbox (next_attempt_at) WHERE sent_at IS NULL AND dead = 0;
"""
