"""Queues over case_status (migration 5) and staff actions as checked events (cases.act)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest

from yijian.casework import kinds
from yijian.casework.window import may_accept, may_request_correction
from yijian.store import Store


def _case(store: Store, region: str = "442000", matter: str = "m1") -> str:
    draft = store.drafts.create(matter, "v1", None)
    case = store.cases.submit(
        draft, {"applicant": {"name": "王小明"}}, {"matter_name": "示例"}, region
    )
    return case.case_no


@pytest.fixture
def store(open_store: Callable[..., Store]) -> Store:
    s = open_store()
    yield s  # type: ignore[misc]
    s.close()


def _statuses_from_events(conn: Any) -> dict[str, str]:
    rows = conn.execute(
        "SELECT case_no, status FROM events e WHERE status IS NOT NULL AND seq = ("
        " SELECT MAX(seq) FROM events l WHERE l.case_no = e.case_no AND l.status IS NOT NULL)"
    ).fetchall()
    return {r[0]: r[1] for r in rows}


def _status_table(conn: Any) -> dict[str, str]:
    rows = conn.execute("SELECT case_no, status FROM case_status").fetchall()
    return {r[0]: r[1] for r in rows}


def test_queue_is_the_waiting_cases_of_the_regions_oldest_first(store: Store) -> None:
    a, b = _case(store), _case(store, "442000")
    other = _case(store, "110105")
    store.cases.append_event(a, kinds.ACCEPTED, status="accepted", actor="t")
    rows, total = store.queues.in_status(["submitted"], ["4420"])
    assert [r.case_no for r in rows] == [b] and total == 1
    rows, total = store.queues.in_status(["submitted"], ["4420", "1101"])
    assert [r.case_no for r in rows] == [b, other] and total == 2
    assert store.queues.in_status(["submitted"], []) == ([], 0)  # no region: nothing
    assert store.queues.in_status(["submitted"], ["4420"], matters=[]) == ([], 0)
    assert store.queues.in_status(["submitted"], ["4420"], matters=["m2"]) == ([], 0)
    assert store.queues.status_of(a) == "accepted"


def test_case_status_always_equals_the_last_status_event(store: Store, intruder: Any) -> None:
    """The table is the events' projection, kept by a trigger: recompute and compare."""
    nos = [_case(store) for _ in range(6)]
    store.cases.append_event(nos[0], kinds.ACCEPTED, status="accepted", actor="t")
    store.cases.append_event(nos[1], kinds.CORRECTION_REQUESTED, status="correction", actor="t")
    store.cases.append_event(nos[1], kinds.CORRECTED, status="submitted", actor="t")
    store.cases.append_event(nos[2], kinds.SUSPENDED, actor="t")  # sets no status
    store.cases.append_event(nos[3], kinds.REFUSED, status="refused", actor="t")
    conn = intruder(store)
    assert _status_table(conn) == _statuses_from_events(conn)
    assert _status_table(conn)[nos[2]] == "submitted"
    counted = dict(
        ((s, t, r), n)
        for s, t, r, n in conn.execute(
            "SELECT status, top, region, COUNT(*) FROM case_status GROUP BY status, top, region"
        )
    )
    kept = {(s, t, r): n for s, t, r, n in conn.execute("SELECT * FROM case_counts") if n}
    conn.close()
    assert kept == counted
    assert store.queues.in_status(["submitted"], ["4420"])[1] == 4


def test_act_checks_inside_the_transaction_and_writes_nothing_when_refused(store: Store) -> None:
    no = _case(store)
    done = store.cases.act(
        no, kinds.ACCEPTED, status="accepted", actor="staff:1", data={}, check=may_accept
    )
    assert not isinstance(done, str) and done.seq == 2
    again = store.cases.act(
        no, kinds.ACCEPTED, status="accepted", actor="staff:1", data={}, check=may_accept
    )
    assert again == "该办件已受理，不能受理"
    assert len(store.cases.events(no)) == 2 and store.cases.verify_chain(no)
    assert (
        store.cases.act(no, "x", status=None, actor="a", data={}, check=lambda e: None)
        != "办件不存在"
    )
    assert (
        store.cases.act("nope", "x", status=None, actor="a", data={}, check=lambda e: None)
        == "办件不存在"
    )


def test_concurrent_clerks_act_once(store: Store) -> None:
    no = _case(store)
    results: list[object] = []
    barrier = threading.Barrier(8)

    def clerk() -> None:
        barrier.wait()
        results.append(
            store.cases.act(
                no,
                kinds.CORRECTION_REQUESTED,
                status="correction",
                actor="staff:2",
                data={"items": []},
                check=may_request_correction,
            )
        )

    threads = [threading.Thread(target=clerk) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sum(not isinstance(r, str) for r in results) == 1
    assert len(store.cases.events(no)) == 2


def test_also_writes_in_the_same_transaction_and_rolls_back_with_it(store: Store) -> None:
    no = _case(store)

    def failing(conn: object, event: object) -> None:
        raise RuntimeError("outbox full")

    with pytest.raises(RuntimeError):
        store.cases.act(
            no,
            kinds.ACCEPTED,
            status="accepted",
            actor="s",
            data={},
            check=may_accept,
            also=failing,
        )
    assert len(store.cases.events(no)) == 1  # the event went with the failed outbox write
    assert store.queues.status_of(no) == "submitted"


def test_keyset_pages_match_offset_pages_both_ways(store: Store) -> None:
    """The next/previous links' keyset pages are exactly the numbered pages, from any depth."""
    nos = [_case(store) for _ in range(7)]
    by_offset = [
        [r.case_no for r in store.queues.in_status(["submitted"], ["4420"], limit=3, offset=o)[0]]
        for o in (0, 3, 6)
    ]
    assert [no for page in by_offset for no in page] == nos
    first, total = store.queues.in_status(["submitted"], ["4420"], limit=3)
    assert total == 7
    second, total = store.queues.in_status(
        ["submitted"], ["4420"], limit=3, after=(first[-1].status_at, first[-1].case_no)
    )
    assert [r.case_no for r in second] == by_offset[1] and total == 7
    third, _ = store.queues.in_status(
        ["submitted"], ["4420"], limit=3, after=(second[-1].status_at, second[-1].case_no)
    )
    assert [r.case_no for r in third] == by_offset[2]
    back, _ = store.queues.in_status(
        ["submitted"], ["4420"], limit=3, before=(third[0].status_at, third[0].case_no)
    )
    assert [r.case_no for r in back] == by_offset[1]
