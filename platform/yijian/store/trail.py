"""Verify the whole audit trail of a store: every case chain, the submitted answers, the
anchors over the chain heads and their own chain, and the staff audit trail.

What each check catches (with the append-only triggers dropped, as an intruder would):

* a case's chain recomputes from its first event (an event changed, inserted or removed);
* the stored answers and summary hash to the last ``submitted_sha256`` on the chain (the
  columns rewritten). A case whose first event has none was submitted before migration 10 and
  is counted as "no digest", not broken; one submitted after it without a digest is broken;
* every chain extends the head the latest anchor fixed (a deleted tail, a deleted case), and
  holds the event ``case_status`` names as the last to set a status (a deleted tail before
  any anchor, unless the intruder also fixed that projection);
* the anchors chain to each other and the latest root recomputes from its heads (the anchor
  tables edited to match a deletion); ``expect`` checks a hash kept outside the store is in the
  chain (the anchors rewritten wholesale);
* the staff audit trail recomputes and extends its anchored head.

One read snapshot; events are streamed in key order, so memory holds one case at a time.
"""

from __future__ import annotations

import itertools
import json
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass, field

from yijian.store import anchors as anchor_log
from yijian.store import audit as staff_audit
from yijian.store import events as event_log
from yijian.store.anchors import Anchor
from yijian.store.db import Database

__all__ = ["DIGEST_MIGRATION", "Problem", "TrailReport", "verify_trail"]

DIGEST_MIGRATION = 10  # cases submitted before it carry no digest


@dataclass(frozen=True, slots=True)
class Problem:
    case_no: str | None  # None: the anchors or the staff audit trail themselves
    reason: str

    def format(self) -> str:
        return f"case {self.case_no}: {self.reason}" if self.case_no else self.reason


@dataclass(slots=True)
class TrailReport:
    cases: int = 0
    events: int = 0
    digests: int = 0  # cases whose answers and summary match their digest
    legacy: int = 0  # cases from before migration 10: no digest to check
    anchored: int = 0  # chains the latest anchor covers
    since_anchor: int = 0  # cases submitted after it
    anchors: int = 0
    staff_entries: int = 0
    latest: Anchor | None = None
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def verify_trail(db: Database, expect: str | None = None) -> TrailReport:
    """Check everything; ``problems`` holds the trail's own first, then cases in number order."""
    report = TrailReport()
    with db.read() as c:
        line = c.execute(
            "SELECT applied_at FROM schema_migrations WHERE version = ?", (DIGEST_MIGRATION,)
        ).fetchone()
        own = _check_anchors(c, report, expect)
        anchored = anchor_log.anchored_heads(c)
        cases = _check_cases(c, report, anchored, line[0] if line else None)
        own += _check_staff(c, report)
    report.problems = own + sorted(cases, key=lambda p: p.case_no or "")
    return report


def _check_anchors(c: sqlite3.Connection, report: TrailReport, expect: str | None) -> list[Problem]:
    chain = anchor_log.list_anchors(c)
    report.anchors, report.latest = len(chain), (chain[-1] if chain else None)
    found: list[Problem] = []
    prev = ""
    for n, a in enumerate(chain, start=1):
        if a.seq != n or a.prev_hash != prev or anchor_log.anchor_hash(prev, a) != a.hash:
            found.append(Problem(None, f"anchor {n} is missing or was changed"))
            break
        prev = a.hash
    counts = dict(c.execute("SELECT anchor_seq, COUNT(*) FROM anchor_heads GROUP BY anchor_seq"))
    for a in chain:
        if counts.get(a.seq, 0) != a.changed:
            found.append(Problem(None, f"anchor {a.seq}: its recorded heads were changed"))
            break
    heads = anchor_log.anchored_heads(c)
    if report.latest and anchor_log.root_of(heads) != report.latest.root:
        found.append(Problem(None, f"anchor {report.latest.seq}: root does not recompute"))
    if expect and all(a.hash != expect for a in chain):
        found.append(Problem(None, f"anchor {expect[:16]}… is not in the store's anchor chain"))
    return found


def _check_cases(
    c: sqlite3.Connection, report: TrailReport, anchored: anchor_log.Heads, line: str | None
) -> list[Problem]:
    at_seq = report.latest.seq if report.latest else 0
    found: list[Problem] = []
    present: set[str] = set()
    chains = _chains(c)
    pending: tuple[str, list[event_log.Event]] | None = next(chains, None)
    statuses = {
        r[0]: (r[1], r[2]) for r in c.execute("SELECT case_no, seq, status FROM case_status")
    }
    rows = c.execute("SELECT case_no, answers, summary FROM cases ORDER BY case_no")
    for case_no, answers, summary in rows:
        while pending is not None and pending[0] < case_no:  # events of no case
            found.append(Problem(pending[0], "events without a case row"))
            pending = next(chains, None)
        evs: list[event_log.Event] = []
        if pending is not None and pending[0] == case_no:
            evs, pending = pending[1], next(chains, None)
        present.add(case_no)
        report.cases += 1
        report.events += len(evs)
        why = _case_problem(evs, answers, summary, line, report)
        if case_no not in anchored:
            report.since_anchor += 1  # events after the anchor extend nothing: nothing to check
        else:
            report.anchored += 1
            if why is None:  # the chain must extend the anchored head
                heads = {case_no: (evs[-1].seq, evs[-1].hash)}
                again = anchor_log.regressions(c, heads, {case_no: anchored[case_no]}, at_seq)
                why = again[0][1] if again else None
        why = why or _status_problem(evs, statuses.get(case_no))
        if why is not None:
            found.append(Problem(case_no, why))
    while pending is not None:
        found.append(Problem(pending[0], "events without a case row"))
        present.add(pending[0])
        pending = next(chains, None)
    for case_no, (seq, _) in anchored.items():
        if case_no not in present:
            found.append(
                Problem(case_no, f"case deleted: anchor {at_seq} lists it with {seq} events")
            )
    return found


def _case_problem(
    evs: list[event_log.Event], answers: str, summary: str, line: str | None, r: TrailReport
) -> str | None:
    if not evs:
        return "the case has no events"
    broken = event_log.first_break(evs)
    if broken:
        return broken
    digest = next(
        (e.data[event_log.DIGEST_KEY] for e in reversed(evs) if event_log.DIGEST_KEY in e.data),
        None,
    )
    if digest is None:
        if line is None or evs[0].at <= line:
            r.legacy += 1
            return None
        return (
            "the first event has no digest of the answers"
            f" (submitted after migration {DIGEST_MIGRATION})"
        )
    if event_log.submission_digest(answers, summary) != digest:
        return "answers or summary changed since submission (digest does not match)"
    r.digests += 1
    return None


def _status_problem(evs: list[event_log.Event], status: tuple[int, str] | None) -> str | None:
    """Whether the status projection's last status-setting event is still on the chain."""
    if status is None:
        return None
    seq, value = status
    if seq > len(evs):
        return f"events deleted: event {seq} set the status {value!r}, the chain has {len(evs)}"
    if evs[seq - 1].status != value:
        return f"event {seq} does not set the status {value!r} the case is in"
    return None


def _chains(c: sqlite3.Connection) -> Iterator[tuple[str, list[event_log.Event]]]:
    """Each case's events in order, one case at a time (the primary key's order)."""
    cursor = c.execute(
        "SELECT case_no, seq, kind, status, actor, at, data, prev_hash, hash"
        " FROM events ORDER BY case_no, seq"
    )
    for case_no, rows in itertools.groupby(cursor, key=lambda r: r[0]):
        yield (
            case_no,
            [
                event_log.Event(r[0], r[1], r[2], r[3], r[4], r[5], json.loads(r[6]), r[7], r[8])
                for r in rows
            ],
        )


def _check_staff(c: sqlite3.Connection, report: TrailReport) -> list[Problem]:
    trail = staff_audit.entries(c)
    report.staff_entries = len(trail)
    if not staff_audit.verify(trail):
        return [Problem(None, "staff audit trail: an entry was changed, inserted or removed")]
    why = anchor_log.staff_regression(c, report.latest) if report.latest else None
    return [Problem(None, f"staff audit trail: {why}")] if why else []
