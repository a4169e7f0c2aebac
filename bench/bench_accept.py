"""Accept throughput at the window: 受理 through uvicorn against the store's own action.

Run:  .venv/bin/python bench/bench_accept.py [--n 1000] [--connections 20]

N waiting cases are seeded (as in bench_queue) and a clerk signed in. Ours: POST
``/staff/cases/{no}/accept`` for every case from C connections (the staff session, the scope,
the case and its pinned definition read, the §32 check inside the write transaction, the event
on the hash chain, its SMS in the outbox, the redirect). Baseline in the same run: the same
number of ``store.cases.act`` calls (the check and the event alone, no HTTP, no notification)
from C threads on a copy of the database. Every case must end accepted exactly once. Printed,
not asserted.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import sys
import tempfile
import threading
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))
sys.path.insert(0, str(BENCH.parent / "platform"))

import httpx  # noqa: E402

from bench_queue import clerk_cookie, seed  # noqa: E402
from bench_web import server  # noqa: E402

HEADERS = {"sec-fetch-site": "same-origin"}


def waiting(db: Path) -> list[str]:
    import sqlite3

    conn = sqlite3.connect(db)
    rows = conn.execute("SELECT case_no FROM case_status WHERE status = 'submitted'").fetchall()
    conn.close()
    return [r[0] for r in rows]


async def accept_all(url: str, cookie: str, cases: list[str], connections: int) -> float:
    queue = list(cases)
    limits = httpx.Limits(max_connections=connections)
    headers = {**HEADERS, "cookie": cookie}
    async with httpx.AsyncClient(base_url=url, headers=headers, limits=limits) as client:

        async def worker() -> None:
            while queue:
                no = queue.pop()
                r = await client.post(f"/staff/cases/{no}/accept")
                assert r.status_code == 303, (r.status_code, r.text[:200])

        start = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(connections)))
        return len(cases) / (time.perf_counter() - start)


def baseline(db: Path, cases: list[str], threads: int) -> float:
    from yijian.casework import kinds
    from yijian.casework.window import may_accept
    from yijian.store import Store

    store = Store.open(db)
    queue = list(cases)
    lock = threading.Lock()

    def work() -> None:
        while True:
            with lock:
                if not queue:
                    return
                no = queue.pop()
            done = store.cases.act(no, kinds.ACCEPTED, status="accepted", actor="bench",
                                   data={}, check=may_accept)  # fmt: skip
            assert not isinstance(done, str), done

    start = time.perf_counter()
    pool = [threading.Thread(target=work) for _ in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    rate = len(cases) / (time.perf_counter() - start)
    store.close()
    return rate


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1000, help="cases to accept")
    parser.add_argument("--connections", type=int, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="yj-bench-accept-") as tmp:
        db = Path(tmp) / "y.db"
        seed(db, args.n * 3, args.n)
        cookie = clerk_cookie(db)
        copy = Path(tmp) / "copy" / "y.db"
        copy.parent.mkdir()
        shutil.copy(db, copy)
        cases = waiting(db)
        base = baseline(copy, cases, args.connections)
        with server("bench_queue:ours_app", {"YJ_BENCH_DB": str(db)}) as url:
            ours = asyncio.run(accept_all(url, cookie, cases, args.connections))
        left = waiting(db)
        assert not left, f"{len(left)} cases not accepted"
        os.sync()
    print(f"受理 of {len(cases):,} waiting cases, {args.connections} connections")
    print(f"store.cases.act alone {base:8,.0f}/s   through the window {ours:8,.0f}/s"
          f"   ratio {ours / base:.2f}")  # fmt: skip


if __name__ == "__main__":
    main()
