"""The chores lock (``store.leader``): one worker of several runs the chores, and the lock
dies with its holder, so another worker takes over (issue 11). Both backends."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import time
from collections.abc import Callable

from yijian.store import Store
from yijian.store.leader import ChoresLock


def test_one_holder_at_a_time_and_the_next_takes_over(open_store: Callable[..., Store]) -> None:
    first, second = open_store(), open_store()  # two workers on one database
    a, b = ChoresLock(first.db), ChoresLock(second.db)
    assert a.held() and a.held()  # taken, then kept
    assert not b.held()
    a.release()
    assert b.held() and not a.held()
    b.release()


def test_a_killed_holder_releases_the_lock(open_store: Callable[..., Store]) -> None:
    """A worker process killed with SIGKILL never releases anything itself: the server (a
    dropped connection) or the kernel (a closed file) must."""
    store = open_store()
    db = store.db
    target = repr(getattr(db, "url", None) or str(db.path))
    schema = repr(getattr(db, "schema", None))
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            textwrap.dedent(f"""
                import sys, time
                from yijian.store import Store
                from yijian.store.leader import ChoresLock
                store = Store.open({target}, schema={schema})
                lock = ChoresLock(store.db)  # kept: a collected lock closes its connection
                assert lock.held()
                print("held", flush=True)
                time.sleep(60)
            """),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        mine = ChoresLock(db)
        assert not mine.held()
        holder.kill()
        holder.wait(10)
        for _ in range(100):  # the server notices the dropped connection at once or nearly
            if mine.held():
                break
            time.sleep(0.05)
        assert mine.held()
        mine.release()
    finally:
        if holder.poll() is None:
            holder.kill()
            holder.wait(10)
        if holder.stdout is not None:
            holder.stdout.close()
