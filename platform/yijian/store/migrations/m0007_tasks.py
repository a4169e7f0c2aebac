"""Migration 7: ``tasks``, the open tasks of every accepted case (department queues).

Why a table: a department's queue asks "which tasks of mine are open, most urgent first?" of
100,000 open tasks; folding every case's events per request cannot answer that. The rows are a
projection, never a fact: ``office.tasks`` folds a case's events (``casework.tasks``) and
rewrites that case's rows in the same write transaction as the event that changed them, and
``tests/office/test_tasks_projection.py`` refolds every case and compares. Only open work has a
row (waiting, skipped and done steps have none).
"""

SQL = """
CREATE TABLE tasks (
    case_no TEXT NOT NULL,          -- the top-level case (办件)
    owner_case_no TEXT NOT NULL,    -- the chain the step's events go on (a sub-case for members)
    step TEXT NOT NULL,             -- step id inside its matter
    department TEXT NOT NULL,       -- org department id (a joint step: one row per department)
    region TEXT NOT NULL,
    matter_id TEXT NOT NULL,
    name TEXT NOT NULL,             -- step name
    kind TEXT NOT NULL,             -- review, decide, issue, inspect, other, check
    state TEXT NOT NULL,            -- open | claimed | suspended
    claimed_by TEXT,
    opened_on TEXT NOT NULL,        -- YYYY-MM-DD
    due TEXT NOT NULL,              -- YYYY-MM-DD: the step's own working-day deadline
    PRIMARY KEY (case_no, owner_case_no, step, department)
) WITHOUT ROWID;
-- a page of a department's queue, most urgent first (keyset on due, case_no, step)
CREATE INDEX tasks_queue ON tasks (department, due, case_no, step);
"""
