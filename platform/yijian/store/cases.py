"""Cases (办件): submission in one transaction, case numbers, and the case's events.

``submit`` does everything in one ``BEGIN IMMEDIATE`` transaction: it takes the next number
of the day for the region, inserts the case (and one sub-case per bundle member, 拆件), their
first "submitted" events and marks the draft submitted. It returns only after COMMIT, so a
returned case survives a crash. A second submit of the same draft (double click, retried
POST) finds the existing case and returns it: the partial unique index on ``draft_id`` makes
a second top-level case impossible even for a writer that skipped the check.

办件编号 = region code (6 digits) + YYYYMMDD (Beijing date) + 6-digit daily sequence per
region; sub-cases take the parent number + "-01", "-02" ….
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from yijian.store import events as event_log
from yijian.store.db import CHINA_TZ, Database
from yijian.store.drafts import Draft

__all__ = ["Case", "Cases", "DraftNotFound"]

T = TypeVar("T")


class DraftNotFound(LookupError):
    """The draft to submit does not exist."""


class _NotOpen(Exception):
    """The draft is not open: roll the transaction back and answer with the existing case."""


@dataclass(frozen=True, slots=True)
class Case:
    case_no: str
    parent_case_no: str | None
    draft_id: str
    owner_id: int | None
    matter_id: str
    version: str
    answers: dict[str, Any] = field(repr=False)  # personal data: never in logs
    summary: dict[str, Any] = field(repr=False)
    status: str
    submitted_at: str
    region: str = ""
    children: list[Case] = field(default_factory=list)


_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))  # built once: hot path


def _json(value: Any) -> str:
    return _ENCODER.encode(value)


def _texts(answers: dict[str, Any], summary: dict[str, Any]) -> tuple[str, str, str]:
    """The stored JSON of answers and summary, and their digest for the first event: all
    before the write lock is taken."""
    a, s = _json(answers), _json(summary)
    return a, s, event_log.submission_digest(a, s)


# The status is derived from the events: the last one that set a status.
_SELECT = (
    "SELECT c.case_no, c.parent_case_no, c.draft_id, c.owner_id, c.matter_id, c.version,"
    " c.answers, c.summary, c.submitted_at, c.region,"
    " (SELECT e.status FROM events e WHERE e.case_no = c.case_no AND e.status IS NOT NULL"
    "  ORDER BY e.seq DESC LIMIT 1) AS status"
    " FROM cases c"
)


def _case(row: sqlite3.Row, children: list[Case] | None = None) -> Case:
    return Case(
        case_no=row["case_no"],
        parent_case_no=row["parent_case_no"],
        draft_id=row["draft_id"],
        owner_id=row["owner_id"],
        matter_id=row["matter_id"],
        version=row["version"],
        answers=json.loads(row["answers"]),
        summary=json.loads(row["summary"]),
        status=row["status"] or "submitted",
        submitted_at=row["submitted_at"],
        region=row["region"],
        children=children or [],
    )


class Cases:
    def __init__(self, db: Database):
        self._db = db

    def submit(
        self,
        draft: Draft,
        answers: Mapping[str, Any],
        summary: Mapping[str, Any],
        region: str,
        children: Sequence[Mapping[str, Any]] = (),
    ) -> Case:
        """Store the submission and its first event; idempotent per draft.

        The hot path is four statements (number, draft, case, event) in a group-commit
        transaction (``Database.write_group``), with the JSON encoded before the write lock is
        taken and nothing read back: the returned ``Case`` is built from what was written.
        """
        if not (len(region) == 6 and region.isascii() and region.isdigit()):
            raise ValueError(f"region must be a 6-digit code, got {region!r}")
        moment = self._db.clock().astimezone(CHINA_TZ)
        at = moment.isoformat(timespec="microseconds")
        day = f"{moment.year:04d}{moment.month:02d}{moment.day:02d}"
        answers, summary = dict(answers), dict(summary)
        members = [
            (
                str(k["matter_id"]),
                str(k["version"]),
                dict(k.get("answers", answers)),
                dict(k.get("summary", {})),
            )
            for k in children
        ]
        texts = [_texts(answers, summary)]
        texts += [_texts(a, s) for _, _, a, s in members]

        def work(c: sqlite3.Connection) -> Case:
            seq = c.execute(
                "INSERT INTO case_sequences (region, day, last) VALUES (?, ?, 1)"
                " ON CONFLICT (region, day) DO UPDATE SET last = case_sequences.last + 1"
                " RETURNING last",
                (region, day),
            ).fetchone()[0]
            if seq > 999_999:
                raise OverflowError(f"more than 999999 cases on {day} in {region}")
            case_no = f"{region}{day}{seq:06d}"
            row = c.execute(
                "UPDATE drafts SET status = 'submitted', case_no = ?, updated_at = ?"
                " WHERE id = ? AND status = 'open' RETURNING owner_id, matter_id, version",
                (case_no, at, draft.id),
            ).fetchone()
            if row is None:
                raise _NotOpen  # rolls the number back; answered below
            owner, matter_id, version = row
            kids = [
                Case(
                    f"{case_no}-{i:02d}",
                    case_no,
                    draft.id,
                    owner,
                    m,
                    v,
                    a,
                    s,
                    "submitted",
                    at,
                    region,
                )
                for i, (m, v, a, s) in enumerate(members, start=1)
            ]
            case = Case(
                case_no,
                None,
                draft.id,
                owner,
                matter_id,
                version,
                answers,
                summary,
                "submitted",
                at,
                region,
                kids,
            )
            for position, (item, text) in enumerate(zip([case, *kids], texts, strict=True)):
                self._insert(c, item, position, text)
            return case

        try:
            return self._db.write_group(work)
        except _NotOpen:
            pass
        # Already submitted (double click, retried POST), or no such draft.
        existing = (
            self._db.conn()
            .execute("SELECT case_no FROM drafts WHERE id = ?", (draft.id,))
            .fetchone()
        )
        if existing is None:
            raise DraftNotFound(draft.id)
        found = self.get(existing[0])
        assert found is not None
        return found

    @staticmethod
    def _insert(
        c: sqlite3.Connection, case: Case, position: int, text: tuple[str, str, str]
    ) -> None:
        """One case row and its first event (a new case: no previous event to look up), which
        carries the digest of the answers and summary texts just written."""
        c.execute(
            "INSERT INTO cases (case_no, parent_case_no, position, draft_id, owner_id, matter_id,"
            " version, region, answers, summary, submitted_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                case.case_no,
                case.parent_case_no,
                position,
                case.draft_id,
                case.owner_id,
                case.matter_id,
                case.version,
                case.region,
                text[0],
                text[1],
                case.submitted_at,
            ),
        )
        actor = f"user:{case.owner_id}" if case.owner_id else "anonymous"
        data = {
            "draft_id": case.draft_id,
            "matter_id": case.matter_id,
            "version": case.version,
            # what was stored, so a rewritten answers/summary column shows (yijian audit)
            event_log.DIGEST_KEY: text[2],
        }
        event_log.append(
            c,
            case.case_no,
            "submitted",
            case.submitted_at,
            status="submitted",
            actor=actor,
            data=data,
            first=True,
        )

    def get(self, case_no: str) -> Case | None:
        """The case with its sub-cases (a sub-case number gives the sub-case alone)."""
        with self._db.read() as c:
            row = c.execute(f"{_SELECT} WHERE c.case_no = ?", (case_no,)).fetchone()
            if row is None:
                return None
            kids = c.execute(  # a primary-key range: "<no>-01" … "<no>-99" sort between these
                f"{_SELECT} WHERE c.case_no > ? AND c.case_no < ? AND c.parent_case_no = ?"
                " ORDER BY c.position",
                (case_no + "-", case_no + ".", case_no),
            ).fetchall()
        return _case(row, [_case(k) for k in kids])

    def for_owner(self, owner_id: int) -> list[Case]:
        """The user's top-level cases, newest first, each with its sub-cases."""
        with self._db.read() as c:
            tops = c.execute(
                f"{_SELECT} WHERE c.owner_id = ? AND c.parent_case_no IS NULL"
                " ORDER BY c.submitted_at DESC, c.case_no DESC",
                (owner_id,),
            ).fetchall()
            kids = c.execute(
                f"{_SELECT} WHERE c.owner_id = ? AND c.parent_case_no IS NOT NULL"
                " ORDER BY c.position",
                (owner_id,),
            ).fetchall()
        by_parent: dict[str, list[Case]] = {}
        for k in kids:
            by_parent.setdefault(k["parent_case_no"], []).append(_case(k))
        return [_case(t, by_parent.get(t["case_no"], [])) for t in tops]

    def append_event(
        self,
        case_no: str,
        kind: str,
        *,
        status: str | None = None,
        actor: str | None = None,
        data: dict[str, Any] | None = None,
    ) -> event_log.Event:
        """Record a later fact about the case (accepted, corrected …) on its chain."""
        with self._db.write() as c:
            return event_log.append(
                c, case_no, kind, self._db.now(), status=status, actor=actor, data=data
            )

    def act(
        self,
        case_no: str,
        kind: str,
        *,
        status: str | None,
        actor: str,
        data: dict[str, Any],
        check: Callable[[list[event_log.Event]], str | None],
        also: Callable[[sqlite3.Connection, event_log.Event], None] | None = None,
    ) -> event_log.Event | str:
        """A staff action as one event, if ``check`` allows it on the case's events as they
        are inside the write transaction; else ``check``'s message and nothing written.

        Why inside: two clerks (or one double click) acting at once must not both pass a check
        made before either wrote. ``also`` writes what belongs to the same fact in the same
        transaction (the outbox rows of its notifications)."""
        with self._db.write() as c:
            events = event_log.list_events(c, case_no)
            if not events:
                return "办件不存在"
            refusal = check(events)
            if refusal is not None:
                return refusal
            event = event_log.append(
                c, case_no, kind, self._db.now(), status=status, actor=actor, data=data
            )
            if also is not None:
                also(c, event)
            return event

    def transact(self, work: Callable[[sqlite3.Connection, str], T]) -> T:
        """``work(conn, now)`` in one write transaction: an action whose consequences reach
        several chains (a bundle member's decision closes the bundle) commits all or nothing.
        ``work`` checks before it writes; what it returns is returned after COMMIT."""
        with self._db.write() as c:
            return work(c, self._db.now())

    def with_open_kind(self, kind: str, status: str) -> list[str]:
        """Top-level cases now in ``status`` that have an event of ``kind`` (the worker's
        watch list, e.g. 容缺受理 cases still running)."""
        with self._db.read() as c:
            rows = c.execute(
                "SELECT DISTINCT e.case_no FROM events e JOIN case_status s"
                " ON s.case_no = e.case_no WHERE e.kind = ? AND s.status = ? AND s.top = 1",
                (kind, status),
            ).fetchall()
        return [r[0] for r in rows]

    def events(self, case_no: str) -> list[event_log.Event]:
        return event_log.list_events(self._db.conn(), case_no)

    def verify_chain(self, case_no: str) -> bool:
        """Whether the case's event chain is intact (False for a case without events)."""
        return event_log.verify(self.events(case_no))
