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
    at TEXT NOT NULL,
    -- copied from the case (never change after submission): a queue is one index range
    region TEXT NOT NULL,
    matter_id TEXT NOT NULL,
    top INTEGER NOT NULL
) WITHOUT ROWID;
-- a page of a queue: in order of arrival in the status, region filtered while scanning
CREATE INDEX case_status_queue ON case_status (status, top, at);
-- how many are in a status per region: a queue's total is a sum over a few rows, not a count
-- of thousands of index entries (kept by the triggers below, like case_status itself)
CREATE TABLE case_counts (
    status TEXT NOT NULL,
    top INTEGER NOT NULL,
    region TEXT NOT NULL,
    n INTEGER NOT NULL,
    PRIMARY KEY (status, top, region)
) WITHOUT ROWID;

CREATE TRIGGER case_status_added AFTER INSERT ON case_status
BEGIN
    INSERT INTO case_counts (status, top, region, n) VALUES (NEW.status, NEW.top, NEW.region, 1)
    ON CONFLICT (status, top, region) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER case_status_moved AFTER UPDATE OF status ON case_status
WHEN NEW.status <> OLD.status
BEGIN
    UPDATE case_counts SET n = n - 1
    WHERE status = OLD.status AND top = OLD.top AND region = OLD.region;
    INSERT INTO case_counts (status, top, region, n) VALUES (NEW.status, NEW.top, NEW.region, 1)
    ON CONFLICT (status, top, region) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER events_status AFTER INSERT ON events
WHEN NEW.status IS NOT NULL
BEGIN
    INSERT INTO case_status (case_no, status, seq, at, region, matter_id, top)
    SELECT NEW.case_no, NEW.status, NEW.seq, NEW.at, c.region, c.matter_id,
        c.parent_case_no IS NULL
    FROM cases c WHERE c.case_no = NEW.case_no
    ON CONFLICT (case_no) DO UPDATE SET status = excluded.status, seq = excluded.seq,
        at = excluded.at
    WHERE excluded.seq > case_status.seq;
END;

INSERT INTO case_status (case_no, status, seq, at, region, matter_id, top)
SELECT e.case_no, e.status, e.seq, e.at, c.region, c.matter_id, c.parent_case_no IS NULL
FROM events e JOIN cases c ON c.case_no = e.case_no
WHERE e.status IS NOT NULL AND e.seq = (
    SELECT MAX(l.seq) FROM events l WHERE l.case_no = e.case_no AND l.status IS NOT NULL
);
"""

_TOP = "CASE WHEN c.parent_case_no IS NULL THEN 1 ELSE 0 END"
_COUNT_UP = (
    "INSERT INTO case_counts (status, top, region, n) VALUES (NEW.status, NEW.top, NEW.region, 1)"
    " ON CONFLICT (status, top, region) DO UPDATE SET n = case_counts.n + 1;"
)

#: The same three triggers in PL/pgSQL (row triggers; an AFTER trigger's result is ignored).
PG_TRIGGERS = {
    "case_status_added": (
        "CREATE FUNCTION case_status_added() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        + _COUNT_UP
        + " RETURN NULL; END $$",
        "CREATE TRIGGER case_status_added AFTER INSERT ON case_status"
        " FOR EACH ROW EXECUTE FUNCTION case_status_added()",
    ),
    "case_status_moved": (
        "CREATE FUNCTION case_status_moved() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
        " UPDATE case_counts SET n = n - 1"
        " WHERE status = OLD.status AND top = OLD.top AND region = OLD.region; "
        + _COUNT_UP
        + " RETURN NULL; END $$",
        "CREATE TRIGGER case_status_moved AFTER UPDATE OF status ON case_status"
        " FOR EACH ROW WHEN (NEW.status <> OLD.status) EXECUTE FUNCTION case_status_moved()",
    ),
    "events_status": (
        "CREATE FUNCTION events_status() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
        " INSERT INTO case_status (case_no, status, seq, at, region, matter_id, top)"
        f" SELECT NEW.case_no, NEW.status, NEW.seq, NEW.at, c.region, c.matter_id, {_TOP}"
        " FROM cases c WHERE c.case_no = NEW.case_no"
        " ON CONFLICT (case_no) DO UPDATE SET status = excluded.status, seq = excluded.seq,"
        " at = excluded.at WHERE excluded.seq > case_status.seq;"
        " RETURN NULL; END $$",
        "CREATE TRIGGER events_status AFTER INSERT ON events"
        " FOR EACH ROW WHEN (NEW.status IS NOT NULL) EXECUTE FUNCTION events_status()",
    ),
}
#: The backfill stores "is top-level" as 0/1; PostgreSQL has no implicit boolean to integer.
PG_REWRITE = (
    ("c.matter_id, c.parent_case_no IS NULL\nFROM events e", f"c.matter_id, {_TOP}\nFROM events e"),
)
