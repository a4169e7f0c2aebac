"""The department queues' table: one row per open task, rewritten per case (migration 7).

A projection of the task fold (``casework.tasks``): ``office.tasks.settle`` calls ``replace``
inside the write transaction of the event that changed the case, so the rows and the events
never disagree after a commit. Queries are keyset pages over ``tasks_queue`` (department, due,
case, step): the most urgent first, the same cost on page 1 and page 1,000.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from yijian.store.db import Database

__all__ = ["TaskRow", "Tasks"]

_COLUMNS = (
    "case_no, owner_case_no, step, department, region, matter_id, name, kind, state,"
    " claimed_by, opened_on, due"
)


@dataclass(frozen=True, slots=True)
class TaskRow:
    case_no: str
    owner_case_no: str
    step: str
    department: str
    region: str
    matter_id: str
    name: str
    kind: str
    state: str
    claimed_by: str | None
    opened_on: str
    due: str  # "" when the calendar could not count it: sorts first, shown as unknown

    @property
    def cursor(self) -> str:
        return f"{self.due}|{self.case_no}|{self.step}"


def replace(conn: sqlite3.Connection, case_no: str, rows: Iterable[TaskRow]) -> None:
    """Make the case's rows exactly ``rows`` (inside the caller's write transaction)."""
    conn.execute("DELETE FROM tasks WHERE case_no = ?", (case_no,))
    conn.executemany(
        f"INSERT INTO tasks ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (r.case_no, r.owner_case_no, r.step, r.department, r.region, r.matter_id, r.name,
             r.kind, r.state, r.claimed_by, r.opened_on, r.due)
            for r in rows
        ],
    )  # fmt: skip


def _row(r: Sequence[Any]) -> TaskRow:
    return TaskRow(*r)


class Tasks:
    def __init__(self, db: Database):
        self._db = db

    def queue(
        self,
        department: str,
        prefixes: Sequence[str],
        *,
        after: str | None = None,
        limit: int = 50,
        mine: str | None = None,
    ) -> list[TaskRow]:
        """A page of ``department``'s open tasks in regions starting with one of ``prefixes``,
        most urgent first; ``after`` is the last row's ``cursor``; ``mine``: claimed by."""
        if not prefixes:
            return []
        sql = f"SELECT {_COLUMNS} FROM tasks WHERE department = ?"
        args: list[Any] = [department]
        if after:
            due, case_no, step = ([*after.split("|", 2), "", ""])[:3]
            sql += " AND (due, case_no, step) > (?, ?, ?)"
            args += [due, case_no, step]
        if mine is not None:
            sql += " AND claimed_by = ?"
            args.append(mine)
        sql += " AND (" + " OR ".join("region LIKE ?" for _ in prefixes) + ")"
        args += [p + "%" for p in prefixes]
        sql += " ORDER BY due, case_no, step LIMIT ?"
        args.append(limit)
        with self._db.read() as c:
            return [_row(r) for r in c.execute(sql, args).fetchall()]

    def of_case(self, case_no: str) -> list[TaskRow]:
        with self._db.read() as c:
            rows = c.execute(
                f"SELECT {_COLUMNS} FROM tasks WHERE case_no = ? ORDER BY due, step", (case_no,)
            ).fetchall()
        return [_row(r) for r in rows]

    def counts(self, prefixes: Sequence[str], today: str) -> dict[str, dict[str, int]]:
        """department → {"open", "overdue"} over the regions of ``prefixes``."""
        if not prefixes:
            return {}
        where = " OR ".join("region LIKE ?" for _ in prefixes)
        with self._db.read() as c:
            rows = c.execute(
                "SELECT department, COUNT(*),"
                " SUM(CASE WHEN due <> '' AND due < ? THEN 1 ELSE 0 END) FROM tasks"
                f" WHERE {where} GROUP BY department",
                [today, *(p + "%" for p in prefixes)],
            ).fetchall()
        return {d: {"open": n, "overdue": int(o or 0)} for d, n, o in rows}
