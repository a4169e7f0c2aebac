"""Queues: which top-level cases are in a status, inside some regions, oldest first.

The window asks for cases ``submitted`` (new, or resubmitted after a correction); supervision
asks for every open one. Status comes from ``case_status``, which a trigger keeps from the
events (migration 5), so a queue is an index range over the waiting cases, not a scan of all
cases. Region scopes arrive as code prefixes (``office.scope.region_prefixes``): a county
grant ``442000`` covers ``4420…``; an empty list means no region at all (nothing is shown).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from yijian.store.db import Database

__all__ = ["QueueRow", "Queues"]


@dataclass(frozen=True, slots=True)
class QueueRow:
    case_no: str
    matter_id: str
    version: str
    region: str
    submitted_at: str
    status: str
    status_at: str  # when the case entered this status (resubmitted: the resubmission)
    owner_id: int | None
    answers: dict[str, Any] = field(repr=False)  # personal data: never in logs
    summary: dict[str, Any] = field(repr=False)


def _where(prefixes: Sequence[str], matters: Sequence[str] | None) -> tuple[str, list[Any]]:
    clauses = ["c.parent_case_no IS NULL"]
    params: list[Any] = []
    # prefixes never hold % or _: they are region digits (office.scope)
    clauses.append("(" + " OR ".join("c.region LIKE ?" for _ in prefixes) + ")")
    params += [p + "%" for p in prefixes]
    if matters is not None:
        clauses.append("c.matter_id IN (" + ",".join("?" for _ in matters) + ")")
        params += list(matters)
    return " AND ".join(clauses), params


class Queues:
    def __init__(self, db: Database):
        self._db = db

    def in_status(
        self,
        statuses: Sequence[str],
        prefixes: Sequence[str],
        *,
        matters: Sequence[str] | None = None,
        limit: int = 50,
        offset: int = 0,
    ) -> tuple[list[QueueRow], int]:
        """One page of the cases in ``statuses`` within ``prefixes`` (and ``matters``, when
        given), oldest submission first, and how many there are in all."""
        if not prefixes or not statuses or (matters is not None and not matters):
            return [], 0
        where, params = _where(prefixes, matters)
        marks = ",".join("?" for _ in statuses)
        base = (
            f" FROM case_status s JOIN cases c ON c.case_no = s.case_no"
            f" WHERE s.status IN ({marks}) AND {where}"
        )
        args = [*statuses, *params]
        with self._db.read() as c:
            total = c.execute(f"SELECT COUNT(*){base}", args).fetchone()[0]
            rows = c.execute(
                "SELECT c.case_no, c.matter_id, c.version, c.region, c.submitted_at, s.status,"
                f" s.at, c.owner_id, c.answers, c.summary{base}"
                " ORDER BY c.submitted_at, c.case_no LIMIT ? OFFSET ?",
                [*args, limit, offset],
            ).fetchall()
        return [
            QueueRow(
                r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], json.loads(r[8]), json.loads(r[9])
            )
            for r in rows
        ], total

    def status_of(self, case_no: str) -> str | None:
        with self._db.read() as c:
            row = c.execute("SELECT status FROM case_status WHERE case_no = ?", (case_no,))
            found = row.fetchone()
        return found[0] if found else None
