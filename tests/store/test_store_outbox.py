"""The outbox: written in the event's transaction, idempotent, leased, retried with backoff."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

import pytest

from yijian.store import Store
from yijian.store.db import CHINA_TZ
from yijian.store.outbox import MAX_ATTEMPTS, OutboxItem, enqueue


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 3, 2, 9, 0, tzinfo=CHINA_TZ)

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def store(open_store: Callable[..., Store], clock: Clock) -> Store:
    s = open_store(clock=clock)
    yield s  # type: ignore[misc]
    s.close()


ITEM = OutboxItem("c1:2:sms", "sms", "13800138000", "accepted", {"case_no": "c1"})


def test_the_same_message_twice_is_one_row(store: Store) -> None:
    assert store.outbox.add(ITEM) is True
    assert store.outbox.add(ITEM) is False
    assert store.outbox.counts() == {"pending": 1, "sent": 0, "dead": 0}


def test_enqueue_is_part_of_the_callers_transaction(store: Store) -> None:
    with pytest.raises(RuntimeError), store.db.write() as c:
        enqueue(c, ITEM, store.db.now())
        raise RuntimeError("the event failed")
    assert store.outbox.counts()["pending"] == 0


def test_a_lease_keeps_other_senders_off_until_it_runs_out(store: Store, clock: Clock) -> None:
    store.outbox.add(ITEM)
    first = store.outbox.claim("a", lease_s=60)
    assert [p.recipient for p in first] == ["13800138000"]
    assert store.outbox.claim("b") == []
    clock.now += timedelta(seconds=61)  # sender a crashed
    again = store.outbox.claim("b")
    assert [p.id for p in again] == [first[0].id]
    store.outbox.mark_sent(again[0].id, "a")  # a's late mark does not count: b holds it
    assert store.outbox.counts()["sent"] == 0
    store.outbox.mark_sent(again[0].id, "b")
    assert store.outbox.counts() == {"pending": 0, "sent": 1, "dead": 0}


def _next_attempt(store: Store) -> datetime:
    row = store.db.conn().execute("SELECT next_attempt_at FROM outbox").fetchone()
    return datetime.fromisoformat(row[0])


def test_failures_back_off_and_give_up(store: Store, clock: Clock) -> None:
    store.outbox.add(ITEM)
    waits = []
    for attempt in range(MAX_ATTEMPTS):
        (item,) = store.outbox.claim("a")
        store.outbox.mark_failed(item.id, "a", "ConnectionRefusedError")
        if attempt < MAX_ATTEMPTS - 1:
            assert store.outbox.claim("a") == []  # not due yet
            due = _next_attempt(store)
            waits.append((due - clock.now).total_seconds())
            clock.now = due
    assert waits[:4] == [30, 60, 120, 240]  # exponential, capped at an hour
    assert max(waits) <= 3600
    assert store.outbox.counts() == {"pending": 0, "sent": 0, "dead": 1}
    assert store.outbox.claim("a") == []
