"""Draft autosaves: relaxed durability (synchronous=NORMAL) that still survives a crash of
the application, never reorders saves of one draft, and leaves submissions fully durable."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from yijian.store import Store
from yijian.store import db as dbmod
from yijian.store import drafts as draftsmod

PLATFORM = Path(dbmod.__file__).resolve().parents[2]

CRASH = """
import os, sys
from pathlib import Path
from yijian.store import Store
store = Store.open(Path(sys.argv[1]))
draft = store.drafts.create("m", "v1", None)
store.drafts.save(draft.id, {"a": 1}, "p1")  # durable: the first write after opening
store.drafts.save(draft.id, {"a": 2, "名": "张三"}, "p2")  # relaxed: NORMAL, no fsync
print(draft.id, flush=True)
os._exit(0)  # a crash: no close, no checkpoint, no atexit
"""


def test_draft_save_survives_application_crash(tmp_path: Path) -> None:
    """A relaxed save is in the WAL when save() returns: a process killed right after it loses
    nothing, and a fresh connection (another process) reads it."""
    path = tmp_path / "y.db"
    done = subprocess.run(
        [sys.executable, "-c", CRASH, str(path)],
        capture_output=True,
        text=True,
        check=True,
        env={"PYTHONPATH": str(PLATFORM)},
    )
    draft_id = done.stdout.strip()
    assert (tmp_path / "y.db-wal").exists()  # not checkpointed: read back from the WAL
    store = Store.open(path)
    try:
        got = store.drafts.get(draft_id)
        assert got is not None
        assert (got.answers, got.page) == ({"a": 2, "名": "张三"}, "p2")
    finally:
        store.close()


def test_draft_save_visible_to_a_second_connection_without_close(tmp_path: Path) -> None:
    path = tmp_path / "y.db"
    first = Store.open(path)
    draft = first.drafts.create("m", "v1", None)
    for i in range(5):
        first.drafts.save(draft.id, {"i": i}, f"p{i}")
    # no close(): a second connection, as a restarted worker would open it
    conn = sqlite3.connect(path)
    row = conn.execute("SELECT answers, page FROM drafts WHERE id = ?", (draft.id,)).fetchone()
    conn.close()
    assert (json.loads(row[0]), row[1]) == ({"i": 4}, "p4")
    first.close()


def test_autosaves_are_relaxed_and_submissions_full(tmp_path: Path) -> None:
    """Within RELAXED_SYNC_S of a durable commit a save takes the NORMAL connection; the
    everyday connection (submissions, sign-ins) stays FULL."""
    store = Store.open(tmp_path / "y.db")
    try:
        db = store.db
        draft = store.drafts.create("m", "v1", None)  # a durable write: the WAL is fsynced
        store.drafts.save(draft.id, {"a": 1}, "p")
        relaxed = db._local.relaxed
        assert relaxed.execute("PRAGMA synchronous").fetchone()[0] == 1  # NORMAL
        assert db.conn().execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
        with db.write() as c:  # the default stays durable
            assert c is db.conn()
    finally:
        store.close()


def test_relaxed_save_made_durable_when_last_sync_is_old(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The window a power loss can take is bounded in time: once the last fsync is older than
    RELAXED_SYNC_S, the next autosave commits with FULL (and restarts the window)."""
    monkeypatch.setattr(dbmod, "RELAXED_SYNC_S", 0.05)
    store = Store.open(tmp_path / "y.db")
    try:
        db = store.db
        draft = store.drafts.create("m", "v1", None)
        used: list[sqlite3.Connection] = []
        real_write = db.write

        def spy(durable: bool = True) -> object:
            cm = real_write(durable)

            class Wrap:
                def __enter__(self) -> sqlite3.Connection:
                    conn = cm.__enter__()
                    used.append(conn)
                    return conn

                def __exit__(self, *exc: object) -> bool | None:
                    return cm.__exit__(*exc)

            return Wrap()

        monkeypatch.setattr(db, "write", spy)
        store.drafts.save(draft.id, {"a": 1}, "p")  # right after a durable create: relaxed
        time.sleep(0.1)
        store.drafts.save(draft.id, {"a": 2}, "p")  # last fsync too old: durable
        store.drafts.save(draft.id, {"a": 3}, "p")  # window restarted: relaxed
        assert [c is db.conn() for c in used] == [False, True, False]
    finally:
        store.close()


@pytest.mark.parametrize("processes", [1, 2])
def test_an_earlier_save_never_overwrites_a_later_one(
    open_store: Callable[..., Store], monkeypatch: pytest.MonkeyPatch, processes: int
) -> None:
    """Two concurrent saves of one draft: the one called first is held up (in its JSON
    encoding, after it took its call time) until the later one is written. When it reaches
    the database it must be dropped, not overwrite the newer answers — also when the two
    saves run in two app processes (two stores on one database: no shared memory)."""
    store = open_store()
    other = open_store() if processes == 2 else store
    draft = store.drafts.create("m", "v1", None)
    release = threading.Event()
    encoding = threading.Event()
    real_dumps = json.dumps

    def slow_dumps(obj: object, **kw: object) -> str:
        if obj == {"n": "first"}:
            encoding.set()
            assert release.wait(10)
        return real_dumps(obj, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(draftsmod.json, "dumps", slow_dumps)
    results: dict[str, bool] = {}
    first = threading.Thread(
        target=lambda: results.setdefault(
            "first", store.drafts.save(draft.id, {"n": "first"}, "p1")
        )
    )
    first.start()
    assert encoding.wait(10)  # the first save has its call time and is encoding
    results["second"] = other.drafts.save(draft.id, {"n": "second"}, "p2")
    release.set()
    first.join(10)
    assert results == {"second": True, "first": False}
    got = store.drafts.get(draft.id)
    assert got is not None and (got.answers, got.page) == ({"n": "second"}, "p2")


def test_concurrent_saves_of_one_draft_end_with_the_last_called(
    open_store: Callable[..., Store], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Many threads saving one draft: every save is atomic, and the stored answers are those of
    the save called last (the highest call time), whatever order the lock was taken."""
    store = open_store()
    draft = store.drafts.create("m", "v1", None)
    local = threading.local()
    counter = iter(range(10**18, 10**19))

    def recorded_ns() -> int:
        """The drafts' clock, remembering which call time this thread was given last."""
        local.seq = next(counter)
        return local.seq

    monkeypatch.setattr(draftsmod.time, "time_ns", recorded_ns)
    given: dict[int, dict[str, int]] = {}
    start = threading.Barrier(4)

    def worker(t: int) -> None:
        start.wait()
        for i in range(50):
            answers = {"t": t, "i": i}
            store.drafts.save(draft.id, answers, f"p{t}")
            given[local.seq] = answers

    threads = [threading.Thread(target=worker, args=(t,)) for t in range(4)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    got = store.drafts.get(draft.id)
    assert got is not None and len(given) == 200
    assert got.answers == given[max(given)]
    assert got.page == f"p{got.answers['t']}"  # answers and page of the same save


def test_saving_a_submitted_draft_writes_nothing(open_store: Callable[..., Store]) -> None:
    store = open_store()
    draft = store.drafts.create("m", "v1", None)
    assert store.drafts.save(draft.id, {"a": 1}, "p") is True
    store.cases.submit(store.drafts.get(draft.id), {"a": 1}, {}, "442000")  # type: ignore[arg-type]
    assert store.drafts.save(draft.id, {"a": 2}, "q") is False
    assert store.drafts.get(draft.id).answers == {"a": 1}  # type: ignore[union-attr]
