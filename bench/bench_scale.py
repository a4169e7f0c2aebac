"""Scale-out (issue 11): submissions and answer changes over HTTP against a real ``yijian
serve`` on SQLite (1 process) and on PostgreSQL (1 and 2 processes).

Run:  .venv/bin/python bench/bench_scale.py [--n 300] [--duration 6] [--rounds 2]

Method. Three configurations, each a real ``yijian serve --no-reload`` subprocess (uvicorn,
the store opened from ``--db``): ``sqlite-1`` (a temp file, 1 process), ``pg-1`` and ``pg-2``
(``postgresql://127.0.0.1/bench_scale_*``, ``--workers 1`` and ``--workers 2``). Nothing is
pinned: the machine has 2 cores, shared by the app processes, PostgreSQL and the client, which
is the honest setting for "does a second process help on this box". Rounds are interleaved
(sqlite-1, pg-1, pg-2, sqlite-1, …) and each figure is the median of its rounds.

* submit: N drafts of the birth example, answered through the application layer once per
  backend (a PostgreSQL template database, a SQLite file), are copied fresh for every round
  (``CREATE DATABASE … TEMPLATE``, a file copy); an asyncio client posts
  ``/drafts/{id}/submit`` for all of them from 50 connections at once. Every answer must be a
  303 to a distinct case. Submissions/s and the p99 latency (each request timed from its send).
* change: on the 40-field form of ``bench_web`` (``gen_form``), 20 real drafts made over HTTP;
  wrk (1 thread, 50 connections) posts htmx answer changes round-robin over those drafts, the
  income crossing the eligibility limit every other request (rules re-evaluated, the draft's
  autosave written: a relaxed commit on both backends). Requests/s and wrk's p99 at
  saturation.

Printed, not asserted: each configuration's rates and p99, and the ratios to sqlite-1.
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import statistics
import tempfile
import time
from pathlib import Path

import httpx

from scale_common import REPO, create_db, drop_db, percentile, post, serving, wrk
from scale_drafts import ready_drafts

from gen_form import CHANGE_FIELD, MATTER_ID, generate  # isort: skip

CONFIGS = (("sqlite-1", "sqlite", 1), ("pg-1", "pg", 1), ("pg-2", "pg", 2))
HEADERS = {"sec-fetch-site": "same-origin"}
CHANGE_DRAFTS = 20
WRK_CHANGE = """\
local targets = {%(targets)s}
local n = 0
request = function()
  n = n + 1
  local t = targets[n %% #targets + 1]
  local value = (n %% 2 == 0) and (9000 + n %% 997) or (3000 + n %% 997)
  return wrk.format("POST", t[1], {
    ["Content-Type"] = "application/x-www-form-urlencoded",
    ["Cookie"] = t[2],
    ["Sec-Fetch-Site"] = "same-origin",
    ["HX-Request"] = "true",
  }, "%(field)s=" .. value)
end
"""


async def submit_all(url: str, ids: list[tuple[str, str]], connections: int) -> tuple[float, float]:
    """(submissions/s, p99 ms) for posting every draft, ``connections`` at a time."""
    port = int(url.rsplit(":", 1)[1])
    queue = list(ids)
    seen: set[str] = set()
    latencies: list[float] = []

    async def worker() -> None:
        while queue:
            draft_id, cookie = queue.pop()
            t = time.perf_counter()
            status, headers = await post("127.0.0.1", port, f"/drafts/{draft_id}/submit", cookie)
            latencies.append((time.perf_counter() - t) * 1000)
            assert status == 303, (status, draft_id)
            seen.add(headers["location"])

    start = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(connections)))
    elapsed = time.perf_counter() - start
    assert len(seen) == len(ids), f"{len(ids) - len(seen)} submissions lost or doubled"
    return len(ids) / elapsed, percentile(latencies, 0.99)


def change_targets(url: str, k: int) -> list[tuple[str, str]]:
    """``k`` real drafts of the 40-field form: (change path, cookie) each."""
    out = []
    for _ in range(k):
        with httpx.Client(base_url=url, headers=HEADERS) as c:
            r = c.post(f"/apply/{MATTER_ID}")
            assert r.status_code == 303, r.status_code
            page = r.headers["location"]
            cookie = f"yj_drafts={c.cookies['yj_drafts']}"
            change = f"{page}/change?field={CHANGE_FIELD}"
            r = c.post(change, data={CHANGE_FIELD: "4200"}, headers={"hx-request": "true"})
            assert r.status_code == 200, r.status_code
        out.append((change, cookie))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=300, help="submissions per round")
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--duration", type=int, default=6, help="seconds of wrk per change run")
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed: apt-get install wrk")
    submit: dict[str, list[tuple[float, float]]] = {name: [] for name, _, _ in CONFIGS}
    change: dict[str, list[tuple[float, float]]] = {name: [] for name, _, _ in CONFIGS}
    errors = 0
    with tempfile.TemporaryDirectory(prefix="yj-bench-scale-") as tmp:
        folder = Path(tmp)
        form_root = folder / "root"
        generate(form_root)
        env = {"YIJIAN_FILES": str(folder / "files")}
        t = time.perf_counter()
        tpl_file = folder / "tpl" / "y.db"
        sqlite_ids = ready_drafts(tpl_file, args.n)
        tpl_url = create_db("bench_scale_tpl")
        pg_ids = ready_drafts(tpl_url, args.n, files=folder / "files")
        print(f"prepared {args.n} drafts per backend in {time.perf_counter() - t:.0f} s")
        try:
            for r in range(args.rounds):
                for name, backend, workers in CONFIGS:
                    if backend == "sqlite":
                        db = folder / f"r{r}{name}" / "y.db"
                        shutil.copytree(tpl_file.parent, db.parent)
                        target, ids = str(db), sqlite_ids
                    else:
                        target, ids = create_db("bench_scale_run", "bench_scale_tpl"), pg_ids
                    with serving(REPO, target, workers, env) as url:
                        rate, p99 = asyncio.run(submit_all(url, ids, args.connections))
                    submit[name].append((rate, p99))
                    if backend == "sqlite":
                        target = str(folder / f"r{r}{name}" / "form.db")
                    else:
                        target = create_db("bench_scale_run")
                    with serving(form_root, target, workers, env) as url:
                        targets = change_targets(url, CHANGE_DRAFTS)
                        script = folder / "change.lua"
                        lua = ", ".join(f'{{"{p}", "{c}"}}' for p, c in targets)
                        script.write_text(WRK_CHANGE % {"targets": lua, "field": CHANGE_FIELD})
                        wrk(url + targets[0][0], 1, args.connections, script)  # warm-up
                        crate, cp99, bad = wrk(
                            url + targets[0][0], args.duration, args.connections, script
                        )
                    errors += bad
                    change[name].append((crate, cp99))
                    print(
                        f"  round {r + 1} {name:8}: submit {rate:6.1f}/s p99 {p99:6.0f} ms;"
                        f" change {crate:6.0f}/s p99 {cp99:6.1f} ms"
                        + (f"  ({bad} non-2xx)" if bad else "")
                    )
        finally:
            drop_db("bench_scale_run")
            drop_db("bench_scale_tpl")
    print(
        f"scale-out: {args.n} submissions from {args.connections} connections;"
        f" answer changes {args.duration} s of wrk, {args.connections} connections over"
        f" {CHANGE_DRAFTS} drafts; {args.rounds} interleaved rounds (median); nothing pinned"
    )
    print(f"{'':10} {'submit/s':>9} {'p99 ms':>7} {'ratio':>6}   {'change/s':>9} {'p99 ms':>7}"
          f" {'ratio':>6}")  # fmt: skip
    base_s = statistics.median(x[0] for x in submit["sqlite-1"])
    base_c = statistics.median(x[0] for x in change["sqlite-1"])
    for name, _, _ in CONFIGS:
        s = statistics.median(x[0] for x in submit[name])
        sp = statistics.median(x[1] for x in submit[name])
        c = statistics.median(x[0] for x in change[name])
        cp = statistics.median(x[1] for x in change[name])
        print(f"{name:10} {s:9.1f} {sp:7.0f} {s / base_s:6.2f}   {c:9.0f} {cp:7.1f}"
              f" {c / base_c:6.2f}")  # fmt: skip
    print(f"non-2xx answers to changes: {errors}")


if __name__ == "__main__":
    main()
