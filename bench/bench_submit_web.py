"""Group commit through the web: concurrent submissions over HTTP to uvicorn share COMMITs.

Run:  .venv/bin/python bench/bench_submit_web.py [--n 300] [--connections 50]

Method. N drafts of the birth example are filled in through the application layer (no HTTP)
on a temp SQLite file; then uvicorn serves ``create_app`` on that file (uvloop + httptools,
one process pinned to CPU 0) and an asyncio client on CPU 1 posts ``/drafts/{id}/submit`` for
all of them from C connections at once. Two servers in one run, interleaved rounds:

* ours: ``Settings.workers`` = 16 (the default): each submission waits in a worker thread,
  so submissions that arrive together wait in the store's queue together and one durable
  COMMIT (fsync) covers them.
* baseline: the same app with ``workers=1``: submissions reach the store one at a time, one
  COMMIT each (what the server did when the store ran on the event loop).

Printed: submissions/s of each, the ratio, and from the server (a bench-only route that
reads ``Database.group_stats``) how many COMMITs carried how many submissions. Every answer
must be a 303 to a distinct case; none lost, none doubled. Figures are printed, not asserted.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
sys.path.insert(0, str(BENCH))
sys.path.insert(0, str(REPO / "platform"))

import httpx  # noqa: E402

from bench_web import server  # noqa: E402
from scale_drafts import ready_drafts  # noqa: E402  (drafts with their secrets)

BIRTH = "birth-medical-certificate"
HEADERS = {"sec-fetch-site": "same-origin"}


def bench_app() -> object:
    """uvicorn factory: our app on the bench database, plus a route that reports commits."""
    from starlette.requests import Request
    from starlette.responses import JSONResponse
    from starlette.routing import Route

    from yijian.web import Settings, create_app

    settings = Settings(
        root=REPO, db_path=Path(os.environ["YJ_BENCH_DB"]), reload=False,
        workers=int(os.environ.get("YJ_BENCH_WORKERS", "16")),
    )  # fmt: skip
    app = create_app(settings)

    async def groups(request: Request) -> JSONResponse:
        committed, carried = request.app.state.store.db.group_stats()
        return JSONResponse({"groups": committed, "submissions": carried})

    app.router.routes.insert(0, Route("/_bench/groups", groups))
    return app


async def submit_all(url: str, ids: list[tuple[str, str]], connections: int) -> float:
    """Submissions/s for posting every draft (id, the cookie with its secret that opens it),
    ``connections`` at a time."""
    queue = list(ids)
    seen: set[str] = set()
    limits = httpx.Limits(max_connections=connections)
    async with httpx.AsyncClient(base_url=url, headers=HEADERS, limits=limits) as client:

        async def worker() -> None:
            while queue:
                draft_id, cookie = queue.pop()
                r = await client.post(f"/drafts/{draft_id}/submit", headers={"cookie": cookie})
                assert r.status_code == 303, (r.status_code, r.text[:300])
                seen.add(r.headers["location"])

        start = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(connections)))
        elapsed = time.perf_counter() - start
    assert len(seen) == len(ids), f"{len(ids) - len(seen)} submissions lost or doubled"
    return len(ids) / elapsed


def one_round(workers: int, n: int, connections: int) -> tuple[float, dict[str, int]]:
    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "bench.db"
        ids = ready_drafts(db, n, threads=1)  # one thread: SQLite takes one writer anyway
        env = {"YJ_BENCH_DB": str(db), "YJ_BENCH_WORKERS": str(workers)}
        with server("bench_submit_web:bench_app", env) as url:
            rate = asyncio.run(submit_all(url, ids, connections))
            stats = httpx.get(f"{url}/_bench/groups", headers=HEADERS).json()
    return rate, stats


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=300, help="submissions per round")
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    ours: list[float] = []
    base: list[float] = []
    for _ in range(args.rounds):  # interleaved: the machine is shared
        rate, stats = one_round(1, args.n, args.connections)
        base.append(rate)
        print(f"  baseline (workers=1): {rate:7.1f}/s  {stats['groups']} commits")
        rate, stats = one_round(16, args.n, args.connections)
        ours.append(rate)
        per = stats["submissions"] / max(stats["groups"], 1)
        print(f"  ours (workers=16):    {rate:7.1f}/s  {stats['groups']} commits, {per:.1f} each")
    b, o = statistics.median(base), statistics.median(ours)
    print(f"submissions through uvicorn, {args.n} x {args.rounds} rounds, {args.connections} conns")
    print(f"baseline {b:.1f}/s  ours {o:.1f}/s  ratio {o / b:.2f}")


if __name__ == "__main__":
    main()
