"""What supervision (电子监察) reads: cases of a region with their sub-cases' events, open tasks.

Read only. The figures themselves are computed from the events by ``office.supervision`` (the
clock is never stored), so this part only selects: top-level cases of some regions received in
a date range, every event of them and of their sub-cases in one read transaction, and the open
tasks of the same regions. A county's dashboard reads its own cases; a province's would want a
projection table (a later migration), behind the same methods.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from yijian.store import events as event_log
from yijian.store.db import Database
from yijian.store.tasks import TaskRow

__all__ = ["Watch", "WatchedCase"]

_TASK_COLUMNS = (
    "case_no, owner_case_no, step, department, region, matter_id, name, kind, state,"
    " claimed_by, opened_on, due"
)


@dataclass(frozen=True, slots=True)
class WatchedCase:
    """A top-level case with its own and its sub-cases' events (sub-case number → events)."""

    case_no: str
    matter_id: str
    version: str
    region: str
    status: str
    submitted_at: str
    summary: dict[str, Any] = field(repr=False)
    events: list[event_log.Event] = field(repr=False)
    children: dict[str, list[event_log.Event]] = field(default_factory=dict, repr=False)
    child_matters: dict[str, str] = field(default_factory=dict)


def _ranges(prefixes: Sequence[str], column: str) -> tuple[str, list[str]]:
    """A region prefix as a range of codes (digits sort before ``:``): an index range."""
    sql = " OR ".join(f"({column} >= ? AND {column} < ?)" for _ in prefixes)
    return f"({sql})", [x for p in prefixes for x in (p, p + ":")]


class Watch:
    def __init__(self, db: Database):
        self._db = db

    def cases(
        self,
        prefixes: Sequence[str],
        *,
        since: str | None = None,
        until: str | None = None,
        statuses: Sequence[str] | None = None,
        matters: Sequence[str] | None = None,
    ) -> list[WatchedCase]:
        """Top-level cases of the regions, received on ``since``..``until`` (YYYY-MM-DD, both
        included), in ``statuses`` and of ``matters`` when given, oldest first."""
        if not prefixes:
            return []
        where, args = _ranges(prefixes, "s.region")
        clauses = ["s.top = 1", where]
        if since:
            clauses.append("substr(c.submitted_at, 1, 10) >= ?")
            args.append(since)
        if until:
            clauses.append("substr(c.submitted_at, 1, 10) <= ?")
            args.append(until)
        for column, values in (("s.status", statuses), ("s.matter_id", matters)):
            if values is not None:
                clauses.append(f"{column} IN ({','.join('?' for _ in values)})")
                args += list(values)
        with self._db.read() as c:
            rows = c.execute(
                "SELECT c.case_no, c.matter_id, c.version, c.region, s.status, c.submitted_at,"
                " c.summary FROM case_status s JOIN cases c ON c.case_no = s.case_no"
                f" WHERE {' AND '.join(clauses)} ORDER BY c.submitted_at, c.case_no",
                args,
            ).fetchall()
            out = []
            for r in rows:
                kids = c.execute(
                    "SELECT case_no, matter_id FROM cases WHERE parent_case_no = ?"
                    " ORDER BY case_no",
                    (r[0],),
                ).fetchall()
                children = {k[0]: event_log.list_events(c, k[0]) for k in kids}
                events = event_log.list_events(c, r[0])
                kinds = {k[0]: k[1] for k in kids}
                case = WatchedCase(
                    r[0], r[1], r[2], r[3], r[4], r[5], json.loads(r[6]), events, children, kinds
                )
                out.append(case)
        return out

    def tasks(self, prefixes: Sequence[str]) -> list[TaskRow]:
        """Every open task of the regions, most urgent first."""
        if not prefixes:
            return []
        where, args = _ranges(prefixes, "region")
        with self._db.read() as c:
            rows = c.execute(
                f"SELECT {_TASK_COLUMNS} FROM tasks WHERE {where} ORDER BY due, case_no, step",
                args,
            ).fetchall()
        return [TaskRow(*r) for r in rows]
