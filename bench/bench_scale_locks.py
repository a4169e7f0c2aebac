"""Where the time goes when PostgreSQL serves answer changes (issue 11, beside bench_scale).

Run:  .venv/bin/python bench/bench_scale_locks.py [--workers 1] [--duration 5]

Method. ``yijian serve --workers N`` on a fresh database serves the 40-field form of
``gen_form``; wrk posts answer changes (the same Lua as ``bench_scale``) while a thread samples
``pg_stat_activity`` and ``pg_locks`` every 20 ms: per sample, each non-idle backend of the
database with its wait event, its state, and whether it holds the store's write lock (an
advisory lock). Printed: changes/s, commits and rows per change (``pg_stat_database``
deltas), and the average number of backends in each (wait, state, lock) class, which says
whether the server works, waits for the lock, or waits for the app while holding it.
"""

from __future__ import annotations

import argparse
import collections
import tempfile
import threading
import time
from pathlib import Path

import psycopg

from bench_scale import CHANGE_DRAFTS, WRK_CHANGE, change_targets
from scale_common import PG_ADMIN, create_db, drop_db, serving, wrk

from gen_form import CHANGE_FIELD, generate  # isort: skip

DB = "bench_scale_locks"
SAMPLE = (
    "SELECT COALESCE(wait_event_type || ':' || wait_event, 'on CPU'), state,"
    " EXISTS (SELECT 1 FROM pg_locks l WHERE l.pid = a.pid AND l.locktype = 'advisory'"
    " AND l.granted) FROM pg_stat_activity a WHERE datname = %s AND state <> 'idle'"
    " AND pid <> pg_backend_pid()"
)
STATS = (
    "SELECT xact_commit, tup_returned, tup_fetched, tup_updated FROM pg_stat_database"
    " WHERE datname = %s"
)


def sample(stop: threading.Event, counts: collections.Counter[object]) -> None:
    with psycopg.connect(PG_ADMIN, autocommit=True) as c:
        while not stop.is_set():
            for wait, state, holds in c.execute(SAMPLE, (DB,)):
                counts[(wait, state, "holds the write lock" if holds else "")] += 1
            counts["samples"] += 1
            time.sleep(0.02)


def stats() -> tuple[int, ...]:
    with psycopg.connect(PG_ADMIN, autocommit=True) as c:
        return tuple(c.execute(STATS, (DB,)).fetchone())  # type: ignore[arg-type]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--duration", type=int, default=5)
    parser.add_argument("--connections", type=int, default=50)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="yj-bench-locks-") as tmp:
        folder = Path(tmp)
        generate(folder / "root")
        url = create_db(DB)
        try:
            env = {"YIJIAN_FILES": str(folder / "files")}
            with serving(folder / "root", url, args.workers, env) as base:
                targets = change_targets(base, CHANGE_DRAFTS)
                script = folder / "change.lua"
                lua = ", ".join(f'{{"{p}", "{c}"}}' for p, c in targets)
                script.write_text(WRK_CHANGE % {"targets": lua, "field": CHANGE_FIELD})
                wrk(base + targets[0][0], 1, args.connections, script)  # warm-up
                before = stats()
                counts: collections.Counter[object] = collections.Counter()
                stop = threading.Event()
                sampler = threading.Thread(target=sample, args=(stop, counts))
                sampler.start()
                rate, p99, bad = wrk(base + targets[0][0], args.duration, args.connections, script)
                stop.set()
                sampler.join()
                after = stats()
        finally:
            drop_db(DB)
    n = rate * args.duration
    per = [(b - a) / n for a, b in zip(before, after, strict=True)]
    print(f"PostgreSQL, {args.workers} process(es): {rate:.0f} changes/s, p99 {p99:.0f} ms,"
          f" {bad} non-2xx")  # fmt: skip
    print(f"per change: {per[0]:.1f} commits, {per[1]:.0f} rows returned, {per[2]:.0f} fetched,"
          f" {per[3]:.1f} updated")  # fmt: skip
    samples = counts.pop("samples")
    print("average backends (wait, state, lock):")
    for key, count in counts.most_common(10):
        wait, state, lock = key  # type: ignore[misc]
        print(f"  {count / samples:5.2f}  {wait:22} {state:20} {lock}")


if __name__ == "__main__":
    main()
