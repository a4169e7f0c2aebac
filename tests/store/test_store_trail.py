"""The audit trail of the whole store: answers digests, anchors over chain heads, and
``verify_trail``. Tampering is done as an intruder would: a plain connection to the database
(sqlite3 on the file, psycopg to the server), with the append-only triggers dropped first."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import pytest

from yijian.store import CHINA_TZ, Store
from yijian.store import events as event_log
from yijian.store.anchors import AnchorRefused
from yijian.store.trail import verify_trail

START = datetime(2026, 3, 2, 9, 30, tzinfo=CHINA_TZ)


def _on(store: Store, table: str) -> str:
    """PostgreSQL names a trigger's table in DROP TRIGGER; SQLite does not."""
    return f" ON {table}" if store.backend == "postgresql" else ""


class Clock:
    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def store(open_store: Callable[..., Store], clock: Clock):
    s = open_store(clock=clock)
    yield s
    s.close()


def _submit(store: Store, answers: dict | None = None, children: tuple = ()) -> str:
    draft = store.drafts.create("m", "v1", None)
    case = store.cases.submit(draft, answers or {"姓名": "张三"}, {"k": "值"}, "442000", children)
    return case.case_no


_GUARDS = {
    "events_no_update": "events",
    "events_no_delete": "events",
    "cases_no_delete": "cases",
    "cases_answers_fixed": "cases",
    "anchors_no_update": "anchors",
    "anchors_no_delete": "anchors",
    "anchor_heads_no_update": "anchor_heads",
    "anchor_heads_no_delete": "anchor_heads",
}


@pytest.fixture
def tamper(intruder: Callable[[Store], Any], backend: str) -> Callable[[Store], Any]:
    """A second, plain connection to the database with every guard trigger dropped."""

    def _connect(store: Store) -> Any:
        conn = intruder(store)
        for name, table in _GUARDS.items():
            conn.execute(f"DROP TRIGGER {name}" + (f" ON {table}" if backend != "sqlite" else ""))
        return conn

    return _connect


def _first(store: Store) -> tuple[str | None, str]:
    report = verify_trail(store.db)
    assert not report.ok
    return report.problems[0].case_no, report.problems[0].reason


def test_fresh_store_passes(store: Store) -> None:
    assert verify_trail(store.db).ok
    one = _submit(store)
    bundle = _submit(store, children=({"matter_id": "a", "version": "1", "summary": {}},))
    store.cases.append_event(one, "accepted", status="accepted", actor="staff:1")
    report = verify_trail(store.db)
    assert report.ok, report.problems
    assert (report.cases, report.events, report.digests, report.legacy) == (3, 4, 3, 0)
    first = store.cases.events(bundle + "-01")[0]
    assert first.data[event_log.DIGEST_KEY] == event_log.submission_digest('{"姓名":"张三"}', "{}")


def test_rewritten_answers_are_detected(store: Store, tamper: Callable[[Store], Any]) -> None:
    _submit(store)
    victim = _submit(store)
    conn = store.db.conn()
    with pytest.raises(sqlite3.IntegrityError, match="fixed"):
        conn.execute("UPDATE cases SET answers = '{}' WHERE case_no = ?", (victim,))
    tamper(store).execute(
        "UPDATE cases SET answers = ? WHERE case_no = ?", ('{"姓名":"李四"}', victim)
    )
    why = "answers or summary changed since submission (digest does not match)"
    assert _first(store) == (victim, why)
    assert store.cases.verify_chain(victim)  # the case's own chain cannot see it


def test_deleted_last_event_is_detected(store: Store, tamper: Callable[[Store], Any]) -> None:
    victim = _submit(store)
    store.cases.append_event(victim, "accepted", status="accepted", actor="staff:1")
    store.anchors.anchor()
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        store.db.conn().execute("DELETE FROM events WHERE case_no = ? AND seq = 2", (victim,))
    tamper(store).execute("DELETE FROM events WHERE case_no = ? AND seq = 2", (victim,))
    assert store.cases.verify_chain(victim)  # what is left still recomputes
    assert _first(store) == (victim, "events deleted: anchor 1 has 2 events, the chain 1")
    with pytest.raises(AnchorRefused, match=victim):  # no anchoring over it
        store.anchors.anchor()


def test_deleted_status_event_before_any_anchor_is_detected(
    store: Store, tamper: Callable[[Store], Any]
) -> None:
    """Before the first anchor, the status projection still names the deleted event (unless
    the intruder fixes it too: then only an anchor shows it)."""
    victim = _submit(store)
    store.cases.append_event(victim, "accepted", status="accepted", actor="staff:1")
    tamper(store).execute("DELETE FROM events WHERE case_no = ? AND seq = 2", (victim,))
    why = "events deleted: event 2 set the status 'accepted', the chain has 1"
    assert _first(store) == (victim, why)


def test_deleted_case_is_detected(store: Store, tamper: Callable[[Store], Any]) -> None:
    keep = _submit(store)
    victim = _submit(store)
    store.anchors.anchor()
    intruder = tamper(store)
    intruder.execute("DELETE FROM events WHERE case_no = ?", (victim,))
    intruder.execute("DELETE FROM case_status WHERE case_no = ?", (victim,))
    intruder.execute("DELETE FROM cases WHERE case_no = ?", (victim,))
    report = verify_trail(store.db)
    assert [(p.case_no, p.reason) for p in report.problems] == [
        (victim, "case deleted: anchor 1 lists it with 1 events")
    ]
    assert report.cases == 1 and keep not in {p.case_no for p in report.problems}


def test_rewritten_chain_is_detected_by_the_anchor(
    store: Store, tamper: Callable[[Store], Any]
) -> None:
    """Recomputing a whole chain (to drop the digest or an event) passes the chain itself."""
    victim = _submit(store)
    store.anchors.anchor()
    intruder = tamper(store)
    intruder.execute("DELETE FROM events WHERE case_no = ?", (victim,))
    with store.db.write() as c:  # the intruder appends a forged first event the proper way
        event_log.append(c, victim, "submitted", store.db.now(), status="submitted", data={})
    assert _first(store) == (victim, "event 1 differs from anchor 1: chain rewritten")


def test_cases_and_events_after_the_anchor_pass(store: Store, clock: Clock) -> None:
    old = _submit(store)
    store.anchors.anchor()
    clock.now += timedelta(hours=1)
    new = _submit(store)
    store.cases.append_event(old, "accepted", status="accepted", actor="staff:1")
    store.cases.append_event(new, "accepted", status="accepted", actor="staff:1")
    report = verify_trail(store.db)
    assert report.ok, report.problems
    assert (report.anchored, report.since_anchor, report.anchors) == (1, 1, 1)
    second = store.anchors.anchor()
    assert (second.seq, second.cases, second.events, second.changed) == (2, 2, 4, 2)
    assert verify_trail(store.db, expect=second.hash).ok


def test_anchor_tables_tampered(store: Store, tamper: Callable[[Store], Any]) -> None:
    _submit(store)
    first = store.anchors.anchor()
    victim = _submit(store)
    store.anchors.anchor()
    intruder = tamper(store)
    # deleting the case and its row in the anchor's heads: the root no longer recomputes
    intruder.execute("DELETE FROM events WHERE case_no = ?", (victim,))
    intruder.execute("DELETE FROM case_status WHERE case_no = ?", (victim,))
    intruder.execute("DELETE FROM cases WHERE case_no = ?", (victim,))
    intruder.execute("DELETE FROM anchor_heads WHERE case_no = ?", (victim,))
    problems = [p.reason for p in verify_trail(store.db).problems]
    assert problems == [
        "anchor 2: its recorded heads were changed",
        "anchor 2: root does not recompute",
    ]
    # …and rewriting the last anchor wholesale: only a hash kept outside shows it
    intruder.execute("DELETE FROM anchors WHERE seq = 2")
    assert verify_trail(store.db).ok
    assert verify_trail(store.db, expect=first.hash).ok
    kept = verify_trail(store.db, expect="f" * 64)
    assert [p.reason for p in kept.problems] == [
        "anchor ffffffffffffffff… is not in the store's anchor chain"
    ]


def test_changed_anchor_breaks_the_anchor_chain(
    store: Store, tamper: Callable[[Store], Any]
) -> None:
    _submit(store)
    store.anchors.anchor()
    store.anchors.anchor()
    tamper(store).execute("UPDATE anchors SET cases = 7 WHERE seq = 1")
    assert _first(store) == (None, "anchor 1 is missing or was changed")


def test_cases_before_the_migration_have_no_digest(
    store: Store, clock: Clock, tamper: Callable[[Store], Any]
) -> None:
    """A legacy case (first event without the digest, before migration 10) is counted, not
    broken; the same after the migration is broken."""
    legacy, late = _submit(store), _submit(store)
    intruder = tamper(store)
    intruder.execute("DELETE FROM events WHERE case_no IN (?, ?)", (legacy, late))
    earlier = (START - timedelta(days=30)).isoformat(timespec="microseconds")
    later = (START + timedelta(days=1)).isoformat(timespec="microseconds")
    with store.db.write() as c:
        event_log.append(c, legacy, "submitted", earlier, status="submitted", data={})
        event_log.append(c, late, "submitted", later, status="submitted", data={})
    report = verify_trail(store.db)
    assert (report.legacy, report.digests) == (1, 0)
    assert [(p.case_no, p.reason) for p in report.problems] == [
        (late, "the first event has no digest of the answers (submitted after migration 10)")
    ]


def test_purge_replaces_answers_with_a_new_digest(store: Store) -> None:
    """The retention purge may replace the answers once, with ``purged_at``, recording the
    digest of what it wrote on the chain."""
    case_no = _submit(store)
    with store.db.write() as c:
        c.execute(
            "UPDATE cases SET answers = '{}', summary = '{}', purged_at = ? WHERE case_no = ?",
            (store.db.now(), case_no),
        )
        digest = {event_log.DIGEST_KEY: event_log.submission_digest("{}", "{}")}
        event_log.append(c, case_no, "purged", store.db.now(), actor="system", data=digest)
        with pytest.raises(sqlite3.IntegrityError, match="fixed"):
            c.execute("UPDATE cases SET answers = '{\"a\":1}' WHERE case_no = ?", (case_no,))
    assert verify_trail(store.db).ok


def test_staff_audit_trail_is_anchored(store: Store, tamper: Callable[[Store], Any]) -> None:
    with store.db.write() as c:
        from yijian.store import audit

        for kind in ("added", "granted"):
            audit.append(c, kind, store.db.now(), actor="cli:ops", subject=1)
    anchor = store.anchors.anchor()
    assert (anchor.staff_seq, verify_trail(store.db).staff_entries) == (2, 2)
    intruder = tamper(store)
    intruder.execute("DROP TRIGGER staff_audit_no_delete" + _on(store, "staff_audit"))
    intruder.execute("DELETE FROM staff_audit WHERE seq = 2")
    assert _first(store) == (None, "staff audit trail: entry 2 deleted or changed since anchor 1")


def test_daily_anchor_once_a_day(store: Store, clock: Clock) -> None:
    made = store.anchors.daily()
    assert made is not None and made.seq == 1
    clock.now += timedelta(hours=10)  # 19:30, same Beijing day
    assert store.anchors.daily() is None
    clock.now += timedelta(hours=5)  # 00:30 next day
    again = store.anchors.daily()
    assert again is not None and again.prev_hash == made.hash
    assert [a.seq for a in store.anchors.recent()] == [1, 2]
