"""Every wait for the write lock is bounded (issue 13, item 1): a held lock is an answer
("try again"), not a hang. Real SQLite files, another connection or thread holding the lock."""

from __future__ import annotations

import sqlite3
import threading
import time
from pathlib import Path

import pytest

from yijian.store import Store
from yijian.store.db import StoreBusy


@pytest.fixture
def store(tmp_path: Path):
    s = Store.open(tmp_path / "y.db")
    s.db.set_busy_timeout(0.2)
    yield s
    s.close()


def test_a_lock_held_by_another_process_times_out(store: Store) -> None:
    other = sqlite3.connect(store.path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    began = time.monotonic()
    with pytest.raises(sqlite3.OperationalError):  # SQLite's "database is locked"
        store.drafts.create("m", "v1", None)
    with pytest.raises(sqlite3.OperationalError):
        store.db.probe()
    assert time.monotonic() - began < 3
    other.execute("ROLLBACK")
    other.close()
    store.db.probe()  # writable again


def test_a_thread_queued_behind_a_stuck_writer_gives_up_in_time(store: Store) -> None:
    inside, release = threading.Event(), threading.Event()

    def stuck() -> None:
        with store.db.write():
            inside.set()
            release.wait(10)

    holder = threading.Thread(target=stuck)
    holder.start()
    inside.wait(5)
    ran: list[int] = []
    try:
        with pytest.raises(StoreBusy), store.db.write():
            pass
        with pytest.raises(StoreBusy):
            store.db.write_group(lambda conn: ran.append(1))
    finally:
        release.set()
        holder.join()
    store.db.write_group(lambda conn: ran.append(2))
    assert ran == [2]  # the piece that gave up never ran later
