"""Migration 5: ``case_status``, the last status each case's events set, kept by the database.

Why: the window and department queues ask "which cases are waiting?" of 100,000 cases. With
the status found per row by a subquery over ``events`` that question reads every case; here
it is an index range. The row is not a second source of truth that code writes: a trigger on
``events`` fills it in the same transaction as the event, nothing else may write it
(``store.queues`` only reads it), and ``tests/store/test_store_queues.py`` recomputes every
status from the events and compares. The events stay the only facts.
"""

SQL = """
CREATE TABLE case_status (
    case_no TEXT PRIMARY KEY REFERENCES cases (case_no),
    status TEXT NOT NULL,
    seq INTEGER NOT NULL,
    at TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX case_status_status ON case_status (status, at);

CREATE TRIGGER events_status AFTER INSERT ON events
WHEN NEW.status IS NOT NULL
BEGIN
    INSERT INTO case_status (case_no, status, seq, at)
    VALUES (NEW.case_no, NEW.status, NEW.seq, NEW.at)
    ON CONFLICT (case_no) DO UPDATE SET status = excluded.status, seq = excluded.seq,
        at = excluded.at
    WHERE excluded.seq > case_status.seq;
END;

INSERT INTO case_status (case_no, status, seq, at)
SELECT e.case_no, e.status, e.seq, e.at FROM events e
WHERE e.status IS NOT NULL AND e.seq = (
    SELECT MAX(l.seq) FROM events l WHERE l.case_no = e.case_no AND l.status IS NOT NULL
);

CREATE INDEX cases_region_submitted ON cases (region, submitted_at);
"""
