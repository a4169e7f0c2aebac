"""Queues: which top-level cases are in a status, inside some regions, oldest first.

The window asks for cases ``submitted`` (new, or resubmitted after a correction: it queues
again from its resubmission); supervision
asks for every open one. Status comes from ``case_status``, which a trigger keeps from the
events (migration 5), so a queue is an index range over the waiting cases, not a scan of all
cases. The page query names its index (``INDEXED BY case_status_queue``: walk the waiting
cases in order of arrival, filter the region while walking, stop at the page): left to
itself SQLite chose the region index and sorted all 10,000 waiting cases, 4.4 ms against
0.09 ms (bench/bench_queue.py). A queue's total is a sum over ``case_counts``, counters the
triggers keep per status and region. Region scopes arrive as code prefixes
(``office.scope.region_prefixes``): a county grant ``442000`` covers ``4420…``; an empty
list means no region at all (nothing is shown).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from yijian.store.db import Database

__all__ = ["QueueRow", "Queues"]


@dataclass(frozen=True)
class QueueRow:
    case_no: str
    matter_id: str
    version: str
    region: str
    submitted_at: str
    status: str
    status_at: str  # when the case entered this status (resubmitted: the resubmission)
    owner_id: int | None
    answers_text: str = field(repr=False)  # personal data: never in logs
    summary_text: str = field(repr=False)

    @property
    def answers(self) -> dict[str, Any]:
        """Parsed on demand: a queue row mostly needs two keys of the summary alone, and a
        row the caller already drew (same case, same status time) needs nothing."""
        return json.loads(self.answers_text)

    @cached_property
    def summary(self) -> dict[str, Any]:
        return json.loads(self.summary_text)

    @property
    def matter_name(self) -> str | None:
        return self.summary.get("matter_name")

    @property
    def applicant(self) -> dict[str, Any] | None:
        found = self.summary.get("applicant")
        return found if isinstance(found, dict) else None


def _where(
    statuses: Sequence[str], prefixes: Sequence[str], matters: Sequence[str] | None
) -> tuple[str, list[Any]]:
    """Conditions on ``case_status`` alone: the index does the work, cases are joined only for
    the rows of the page. A prefix is a range of codes (digits sort before ``:``)."""
    clauses = [f"s.status IN ({','.join('?' for _ in statuses)})", "s.top = 1"]
    params: list[Any] = list(statuses)
    clauses.append("(" + " OR ".join("(s.region >= ? AND s.region < ?)" for _ in prefixes) + ")")
    for p in prefixes:
        params += [p, p + ":"]
    if matters is not None:
        clauses.append("s.matter_id IN (" + ",".join("?" for _ in matters) + ")")
        params += list(matters)
    return " AND ".join(clauses), params


class Queues:
    def __init__(self, db: Database):
        self._db = db
        # SQLite's planner needs the hint; PostgreSQL's finds the index itself (and has no hint)
        self._hint = " INDEXED BY case_status_queue" if db.dialect == "sqlite" else ""

    def in_status(
        self,
        statuses: Sequence[str],
        prefixes: Sequence[str],
        *,
        matters: Sequence[str] | None = None,
        limit: int = 50,
        offset: int = 0,
        after: tuple[str, str] | None = None,
        before: tuple[str, str] | None = None,
    ) -> tuple[list[QueueRow], int]:
        """One page of the cases in ``statuses`` within ``prefixes`` (and ``matters``, when
        given), longest in that status first, and how many there are in all.

        ``after``/``before`` (a row's status time and case number, the page's next and
        previous links): a keyset page, read from the index where it starts whatever its
        depth; ``offset`` has to walk every row before it (50× slower at 90 % of 1,000,000
        cases, bench/bench_queue_pg.py) and is kept for a page number typed by hand."""
        if not prefixes or not statuses or (matters is not None and not matters):
            return [], 0
        where, params = _where(statuses, prefixes, matters)
        order, seek, page_where = "s.at, s.case_no", [], where
        if after is not None:
            # ``s.at >= ?`` alone is what bounds the index range; the rest breaks ties
            page_where += " AND s.at >= ? AND (s.at > ? OR s.case_no > ?)"
            seek, offset = [after[0], after[0], after[1]], 0
        elif before is not None:  # the previous page: walk back from it, then turn it round
            page_where += " AND s.at <= ? AND (s.at < ? OR s.case_no < ?)"
            seek, offset = [before[0], before[0], before[1]], 0
            order = "s.at DESC, s.case_no DESC"
        with self._db.read() as c:
            total = self._total(c, statuses, prefixes, matters, where, params)
            rows = c.execute(
                "SELECT c.case_no, c.matter_id, c.version, c.region, c.submitted_at, p.status,"
                " p.at, c.owner_id, c.answers, c.summary FROM (SELECT s.case_no, s.status, s.at"
                f" FROM case_status s{self._hint} WHERE {page_where}"
                f" ORDER BY {order} LIMIT ? OFFSET ?) p"
                " JOIN cases c ON c.case_no = p.case_no ORDER BY p.at, p.case_no",
                [*params, *seek, limit, offset],
            ).fetchall()
        return [QueueRow(*r) for r in rows], total

    @staticmethod
    def _total(
        c: Any,
        statuses: Sequence[str],
        prefixes: Sequence[str],
        matters: Sequence[str] | None,
        where: str,
        params: list[Any],
    ) -> int:
        """From the per-region counters; by matter (rare) a count of the index range."""
        if matters is not None:
            return int(
                c.execute(f"SELECT COUNT(*) FROM case_status s WHERE {where}", params).fetchone()[0]
            )
        ranges = " OR ".join("(region >= ? AND region < ?)" for _ in prefixes)
        args: list[Any] = list(statuses) + [x for p in prefixes for x in (p, p + ":")]
        row = c.execute(
            f"SELECT COALESCE(SUM(n), 0) FROM case_counts WHERE status IN"
            f" ({','.join('?' for _ in statuses)}) AND top = 1 AND ({ranges})",
            args,
        ).fetchone()
        return int(row[0])

    def status_of(self, case_no: str) -> str | None:
        with self._db.read() as c:
            row = c.execute("SELECT status FROM case_status WHERE case_no = ?", (case_no,))
            found = row.fetchone()
        return found[0] if found else None
