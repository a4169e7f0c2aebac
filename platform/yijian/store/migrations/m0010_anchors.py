"""Migration 10: anchors over every case chain's head, and guards on the submitted answers.

Why: each case's event chain shows a changed or removed event, but nothing showed that a
chain's last events, or a whole case, had been deleted, nor that the stored answers had been
rewritten (they are not an event). So:

* ``anchors``: a chain across cases. Each anchor records a root over every chain's head
  (``case_no seq hash``, in case number order) and the head of the staff audit trail, and is
  itself hash-chained to the previous anchor (``store/anchors.py``). The worker makes one a
  day; ``yijian audit anchor`` makes one on demand.
* ``anchor_heads``: the heads each anchor added or moved (only those: a day's anchor over
  100,000 cases writes the few thousand that changed). The heads an anchor covers are the last
  row per case up to it.
* Triggers refuse UPDATE and DELETE of both, DELETE of a case, and UPDATE of a case's answers
  or summary, except once together with ``purged_at`` (the retention purge of migration 8).
  They only keep honest code honest: ``yijian audit verify`` detects the same tampering with
  the triggers dropped (the first event's ``submitted_sha256`` and the anchors).

Cases submitted before this migration have no ``submitted_sha256``; verification reports them
as such rather than as broken, using ``schema_migrations.applied_at`` of version 10 as the line.
"""

from yijian.store.dialect import refuse_trigger

SQL = """
CREATE TABLE anchors (
    seq INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    cases INTEGER NOT NULL,         -- chains anchored
    events INTEGER NOT NULL,        -- events under their heads
    changed INTEGER NOT NULL,       -- heads new or moved since the previous anchor
    root TEXT NOT NULL,             -- sha256 over every head, in case number order
    staff_seq INTEGER NOT NULL,     -- the staff audit trail's head (0, "" when empty)
    staff_hash TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
);
CREATE TABLE anchor_heads (
    case_no TEXT NOT NULL,          -- no foreign key: a deleted case must still be listed
    anchor_seq INTEGER NOT NULL REFERENCES anchors (seq),
    seq INTEGER NOT NULL,
    hash TEXT NOT NULL,
    PRIMARY KEY (case_no, anchor_seq)
) WITHOUT ROWID;
CREATE TRIGGER anchors_no_update BEFORE UPDATE ON anchors
BEGIN
    SELECT RAISE(ABORT, 'anchors are append-only');
END;
CREATE TRIGGER anchors_no_delete BEFORE DELETE ON anchors
BEGIN
    SELECT RAISE(ABORT, 'anchors are append-only');
END;
CREATE TRIGGER anchor_heads_no_update BEFORE UPDATE ON anchor_heads
BEGIN
    SELECT RAISE(ABORT, 'anchors are append-only');
END;
CREATE TRIGGER anchor_heads_no_delete BEFORE DELETE ON anchor_heads
BEGIN
    SELECT RAISE(ABORT, 'anchors are append-only');
END;
CREATE TRIGGER cases_no_delete BEFORE DELETE ON cases
BEGIN
    SELECT RAISE(ABORT, 'cases are never deleted');
END;
CREATE TRIGGER cases_answers_fixed BEFORE UPDATE OF answers, summary ON cases
WHEN NEW.purged_at IS NULL OR OLD.purged_at IS NOT NULL
BEGIN
    SELECT RAISE(ABORT, 'submitted answers are fixed (only the retention purge replaces them)');
END;
"""

PG_TRIGGERS = {
    "anchors_no_update": refuse_trigger(
        "anchors_no_update", "anchors", "UPDATE", "anchors are append-only"
    ),
    "anchors_no_delete": refuse_trigger(
        "anchors_no_delete", "anchors", "DELETE", "anchors are append-only"
    ),
    "anchor_heads_no_update": refuse_trigger(
        "anchor_heads_no_update", "anchor_heads", "UPDATE", "anchors are append-only"
    ),
    "anchor_heads_no_delete": refuse_trigger(
        "anchor_heads_no_delete", "anchor_heads", "DELETE", "anchors are append-only"
    ),
    "cases_no_delete": refuse_trigger(
        "cases_no_delete", "cases", "DELETE", "cases are never deleted"
    ),
    "cases_answers_fixed": refuse_trigger(
        "cases_answers_fixed",
        "cases",
        "UPDATE",
        "submitted answers are fixed (only the retention purge replaces them)",
        of="answers, summary",
        condition="NEW.purged_at IS NULL OR OLD.purged_at IS NOT NULL",
    ),
}
