"""Submission: case numbers, concurrency, idempotency, bundles and the event chain."""

from __future__ import annotations

import re
import sqlite3
import threading
from collections.abc import Callable
from datetime import datetime

import pytest

from yijian.store import CHINA_TZ, Store


def _on(store: Store, table: str) -> str:
    """PostgreSQL names a trigger's table in DROP TRIGGER; SQLite does not."""
    return f" ON {table}" if store.backend == "postgresql" else ""


@pytest.fixture
def store(open_store: Callable[..., Store]):
    s = open_store(clock=lambda: datetime(2026, 3, 2, 9, 30, tzinfo=CHINA_TZ))
    yield s
    s.close()


def test_case_number_shape_and_daily_sequence(store: Store) -> None:
    first = store.cases.submit(store.drafts.create("m", "v1", None), {}, {}, "442000")
    second = store.cases.submit(store.drafts.create("m", "v1", None), {}, {}, "442000")
    other_region = store.cases.submit(store.drafts.create("m", "v1", None), {}, {}, "110101")
    assert first.case_no == "44200020260302000001"
    assert second.case_no == "44200020260302000002"
    assert other_region.case_no == "11010120260302000001"
    with pytest.raises(ValueError):
        store.cases.submit(store.drafts.create("m", "v1", None), {}, {}, "4420")


def test_submit_pins_version_and_marks_draft(store: Store) -> None:
    user = store.users.create("13800138000", "h", "张三")
    draft = store.drafts.create("birth", "hash-a", user.id)
    case = store.cases.submit(draft, {"a": "中文"}, {"k": "值"}, "442000")
    assert (case.version, case.owner_id, case.status) == ("hash-a", user.id, "submitted")
    assert case.answers == {"a": "中文"} and case.summary == {"k": "值"}
    saved = store.drafts.get(draft.id)
    assert saved is not None and saved.status == "submitted" and saved.case_no == case.case_no
    raw = store.db.conn().execute("SELECT answers FROM cases").fetchone()[0]
    assert "中文" in raw  # ensure_ascii=False
    assert [c.case_no for c in store.cases.for_owner(user.id)] == [case.case_no]


def test_bundle_creates_sub_cases(store: Store) -> None:
    draft = store.drafts.create("newborn", "v1", None)
    children = [
        {"matter_id": "birth-cert", "version": "a", "summary": {"x": 1}},
        {"matter_id": "hukou", "version": "b", "summary": {}},
    ]
    case = store.cases.submit(draft, {}, {}, "442000", children)
    assert [c.case_no for c in case.children] == [case.case_no + "-01", case.case_no + "-02"]
    assert [c.matter_id for c in case.children] == ["birth-cert", "hukou"]
    assert all(c.parent_case_no == case.case_no for c in case.children)
    for c in case.children:
        assert store.cases.verify_chain(c.case_no)
    sub = store.cases.get(case.case_no + "-02")
    assert sub is not None and sub.version == "b" and sub.status == "submitted"


def test_submit_is_idempotent(store: Store) -> None:
    draft = store.drafts.create("m", "v1", None)
    first = store.cases.submit(draft, {"a": 1}, {}, "442000", [{"matter_id": "x", "version": "1"}])
    again = store.cases.submit(draft, {"a": 2}, {}, "442000", [{"matter_id": "x", "version": "1"}])
    assert again.case_no == first.case_no and again.answers == {"a": 1}
    assert store.db.conn().execute("SELECT count(*) FROM cases").fetchone()[0] == 2
    # The unique index holds even for a writer that skips the check.
    with pytest.raises(sqlite3.IntegrityError), store.db.write() as c:
        c.execute(
            "INSERT INTO cases (case_no, draft_id, matter_id, version, region, answers, summary,"
            " submitted_at) VALUES ('X', ?, 'm', 'v', '442000', '{}', '{}', 'now')",
            (draft.id,),
        )


def _run(n: int, target) -> None:
    barrier = threading.Barrier(n)

    def go(i: int) -> None:
        barrier.wait()
        target(i)

    threads = [threading.Thread(target=go, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()


def test_50_concurrent_submits_get_50_unique_numbers(store: Store) -> None:
    drafts = [store.drafts.create("m", "v1", None) for _ in range(50)]
    numbers: list[str] = []
    lock = threading.Lock()

    def submit(i: int) -> None:
        case = store.cases.submit(drafts[i], {"i": i}, {}, "442000")
        with lock:
            numbers.append(case.case_no)

    _run(50, submit)
    assert len(numbers) == 50 and len(set(numbers)) == 50
    assert sorted(numbers)[-1] == "44200020260302000050"
    assert all(re.fullmatch(r"44200020260302\d{6}", n) for n in numbers)
    assert store.db.conn().execute("SELECT count(*) FROM cases").fetchone()[0] == 50


def test_20_threads_submitting_one_draft_make_one_case(store: Store) -> None:
    draft = store.drafts.create("m", "v1", None)
    numbers: set[str] = set()

    def submit(_: int) -> None:
        numbers.add(store.cases.submit(draft, {}, {}, "442000").case_no)

    _run(20, submit)
    assert len(numbers) == 1
    assert store.db.conn().execute("SELECT count(*) FROM cases").fetchone()[0] == 1
    assert len(store.cases.events(numbers.pop())) == 1


def test_event_chain_verifies_and_detects_tampering(store: Store) -> None:
    case = store.cases.submit(store.drafts.create("m", "v1", None), {}, {}, "442000")
    store.cases.append_event(case.case_no, "accepted", status="accepted", actor="clerk:7")
    store.cases.append_event(case.case_no, "note", data={"text": "已电话联系"})
    events = store.cases.events(case.case_no)
    assert [e.kind for e in events] == ["submitted", "accepted", "note"]
    assert events[1].prev_hash == events[0].hash
    assert store.cases.verify_chain(case.case_no)
    assert store.cases.get(case.case_no).status == "accepted"  # type: ignore[union-attr]

    conn = store.db.conn()
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        conn.execute("UPDATE events SET data = '{}' WHERE seq = 3")
    # Someone with the file drops the guard and rewrites history: the chain shows it.
    conn.execute("DROP TRIGGER events_no_update" + _on(store, "events"))
    conn.execute(
        "UPDATE events SET data = ? WHERE case_no = ? AND seq = 3",
        ('{"text":"从未联系"}', case.case_no),
    )
    assert not store.cases.verify_chain(case.case_no)
    assert not store.cases.verify_chain("unknown")
