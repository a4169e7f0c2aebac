"""Whether ``case_status`` and ``case_counts`` say what the events say, recomputed in SQL.

Why ``db copy`` checks this on the target rather than only comparing with the source: into
PostgreSQL the two tables are copied as they are (the trigger that derives them is off during
the copy: ``tools.dbcopy``), so equal to the source proves the copy, and this proves they still
follow from the copied events, as the trigger would have made them. The queries keep to what
both engines share and read each table once through its primary key.
"""

from __future__ import annotations

from typing import Any

__all__ = ["derivation_problems"]

#: a case whose last status-setting event is not the one case_status names
_WRONG_STATUS = """
SELECT COUNT(*) FROM case_status s
WHERE NOT EXISTS (
    SELECT 1 FROM events e WHERE e.case_no = s.case_no AND e.seq = s.seq AND e.status = s.status
) OR EXISTS (
    SELECT 1 FROM events e WHERE e.case_no = s.case_no AND e.seq > s.seq AND e.status IS NOT NULL
)
"""
_WITH_STATUS = "SELECT COUNT(DISTINCT case_no) FROM events WHERE status IS NOT NULL"
_COUNTS = "SELECT status, top, region, n FROM case_counts WHERE n <> 0"
_RECOUNT = "SELECT status, top, region, COUNT(*) FROM case_status GROUP BY status, top, region"


def derivation_problems(c: Any) -> list[str]:
    """What does not follow from the events, one line each (none when all does)."""
    found: list[str] = []
    wrong = int(c.execute(_WRONG_STATUS).fetchone()[0])
    if wrong:
        found.append(f"case_status: {wrong} cases not in their last event's status")
    rows = int(c.execute("SELECT COUNT(*) FROM case_status").fetchone()[0])
    expected = int(c.execute(_WITH_STATUS).fetchone()[0])
    if rows != expected:
        found.append(f"case_status: {rows} rows for {expected} cases with a status")
    counts = {tuple(r[:3]): int(r[3]) for r in c.execute(_COUNTS)}
    recount = {tuple(r[:3]): int(r[3]) for r in c.execute(_RECOUNT)}
    if counts != recount:
        found.append("case_counts: not the number of cases in each status")
    return found
