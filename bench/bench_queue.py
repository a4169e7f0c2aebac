"""The window queue page with 100,000 cases in the database (10,000 waiting) against a bare
SQL query + Jinja2 render of the same rows.

Run:  .venv/bin/python bench/bench_queue.py [--cases 100000] [--waiting 10000] [--duration 5]

Method. One SQLite file is seeded directly (drafts, cases, their events; the trigger of
migration 5 keeps ``case_status``): 100,000 cases over three counties, 10,000 of them still
waiting at the window in the clerk's county, the rest accepted. Then two servers run under
uvicorn's CLI (uvloop + httptools, one worker, pinned to CPU 0) and wrk (CPU 1, 20
connections) asks each for the first page of the queue:

* ours: ``GET /staff`` of ``create_app`` with a signed-in clerk of the county: the staff
  session, the scope's region prefixes, the store query, the applicant masked, the working
  days waited and the §32 light on the calendar, the page template.
* bare: a Starlette route that runs the one SQL query that returns the same 50 rows (waiting,
  in the county, oldest first) and renders them with a minimal Jinja2 table.

Two loads: the first page reloaded (what a clerk does all day; our app keeps each row's item
and HTML by its full state, so unchanged rows are not made again), and random pages 1–200 on a
fresh server (rows seldom seen twice: what those caches cannot help). Rounds are interleaved
(bare, ours, …) and each figure is the median. Printed, not asserted: the issue's target is
ours ≥ 0.7× bare.
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import statistics
import sys
import tempfile
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
sys.path.insert(0, str(BENCH))
sys.path.insert(0, str(REPO / "platform"))

from bench_web import server, wrk  # noqa: E402

PASSWORD = "bench-queue-pass-1"
BARE_SQL = (
    "SELECT c.case_no, c.matter_id, c.summary, c.submitted_at FROM (SELECT case_no, at"
    " FROM case_status INDEXED BY case_status_queue WHERE status = 'submitted' AND top = 1"
    " AND region >= '4420'"
    " AND region < '4420:' ORDER BY at, case_no LIMIT 50 OFFSET ?) p JOIN cases c USING (case_no)"
    " ORDER BY p.at, p.case_no"
)
BARE_PAGE = """<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>窗口待办</title>
</head><body><table><thead><tr><th>办件编号</th><th>事项</th><th>申请人</th><th>收件日期</th></tr>
</thead><tbody>{% for r in rows %}<tr><td><a href="/staff/cases/{{ r.case_no }}">{{ r.case_no }}</a>
</td><td>{{ r.matter }}</td><td>{{ r.applicant }}</td><td>{{ r.received }}</td></tr>{% endfor %}
</tbody></table></body></html>"""


def seed(db: Path, cases: int, waiting: int) -> None:
    """The database: migrated by the store, then filled with plain SQL in one transaction."""
    from yijian.store import Store

    Store.open(db).close()
    conn = sqlite3.connect(db)
    regions = ["442000", "110105", "440103"]
    summary = json.dumps(
        {
            "matter_name": "出生医学证明",
            "applicant": {"name": "王小明", "id_number": "11010519491231002X"},
        },
        ensure_ascii=False,
    )
    with conn:
        drafts, rows, events = [], [], []
        for i in range(cases):
            no = f"{regions[i % 3]}2026{(i // 9000) % 12 + 1:02d}{(i // 300) % 28 + 1:02d}{i:06d}"
            at = f"2026-{(i // 9000) % 12 + 1:02d}-{(i // 300) % 28 + 1:02d}T09:00:00+08:00"
            drafts.append((f"d{i}", "birth-medical-certificate", "v1", "submitted", no, at, at))
            rows.append(
                (no, f"d{i}", "birth-medical-certificate", "v1", regions[i % 3], "{}", summary, at)
            )
            events.append((no, 1, "submitted", "submitted", None, "{}", at, "", "h"))
            if not (i % 3 == 0 and i // 3 < waiting):  # the first `waiting` of the county wait
                events.append((no, 2, "accepted", "accepted", "staff:1:x", "{}", at, "h", "h2"))
        conn.executemany(
            "INSERT INTO drafts (id, matter_id, version, status, case_no, created_at, updated_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            drafts,
        )
        conn.executemany(
            "INSERT INTO cases (case_no, draft_id, matter_id, version, region, answers, summary,"
            " submitted_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            rows,
        )
        conn.executemany(
            "INSERT INTO events (case_no, seq, kind, status, actor, data, at, prev_hash, hash)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            events,
        )
    conn.close()


def clerk_cookie(db: Path) -> str:
    from argon2 import PasswordHasher

    from yijian.office.identity import open_session
    from yijian.office.staff import GrantSpec, Operator, add_staff
    from yijian.runtime.regions import RegionTable
    from yijian.store import Store
    from yijian.store.passwords import Passwords

    store = Store.open(db)
    member = add_staff(
        store, Passwords(PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)),
        login="bench", name="窗口", password=PASSWORD, operator=Operator.shell("bench"),
        regions=RegionTable.load(), grants=[GrantSpec("clerk", "442000")],
    )  # fmt: skip
    session = open_session(store, member, via="password")
    store.close()
    return f"yj_staff={session}"


def ours_app() -> object:
    from yijian.web import Settings, create_app

    return create_app(Settings(root=REPO, db_path=Path(os.environ["YJ_BENCH_DB"])))


def bare_app() -> object:
    """Starlette + one SQL query + Jinja2: the least a queue page must do."""
    import threading

    from jinja2 import Environment
    from starlette.applications import Starlette
    from starlette.responses import HTMLResponse
    from starlette.routing import Route

    template = Environment(autoescape=True).from_string(BARE_PAGE)
    local = threading.local()

    def rows(offset: int) -> list[dict[str, str]]:
        if not hasattr(local, "conn"):
            local.conn = sqlite3.connect(os.environ["YJ_BENCH_DB"], check_same_thread=False)
        out = []
        for no, matter, summary, at in local.conn.execute(BARE_SQL, (offset,)):
            s = json.loads(summary)
            out.append({"case_no": no, "matter": s.get("matter_name") or matter,
                        "applicant": s["applicant"]["name"], "received": at[:10]})  # fmt: skip
        return out

    async def page(request: Any) -> HTMLResponse:
        raw = request.query_params.get("page", "1")
        return HTMLResponse(template.render(rows=rows((int(raw) - 1) * 50)))

    return Starlette(routes=[Route("/staff", page)])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--waiting", type=int, default=10_000)
    parser.add_argument("--duration", type=int, default=5)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--connections", type=int, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="yj-bench-queue-") as tmp:
        db = Path(tmp) / "y.db"
        seed(db, args.cases, args.waiting)
        cookie = clerk_cookie(db)
        env = {"YJ_BENCH_DB": str(db)}
        paged = Path(tmp) / "paged.lua"  # any of the first 200 pages: rows seldom seen twice
        paged.write_text(
            "request = function()\n"
            '  return wrk.format("GET", "/staff?page=" .. math.random(1, 200))\nend\n'
        )
        rates: dict[str, list[float]] = {
            k: [] for k in ("bare", "ours", "bare_paged", "ours_paged")
        }
        d, c = args.duration, args.connections
        for _ in range(args.rounds):
            for name in ("bare", "ours"):
                target = f"bench_queue:{name}_app"
                with server(target, env) as url:
                    wrk(url + "/staff", 1, c, None, cookie)  # warm-up
                    rates[name].append(wrk(url + "/staff", d, c, None, cookie))
                with server(target, env) as url:  # a fresh process: nothing kept from above
                    rates[f"{name}_paged"].append(wrk(url + "/staff", d, c, paged, cookie))
    med = {k: statistics.median(v) for k, v in rates.items()}
    b, o = med["bare"], med["ours"]
    shape = f"{args.cases:,} cases ({args.waiting:,} waiting), first page of 50"
    print(
        f"window queue, {shape}, {args.connections} connections, {args.rounds} x {args.duration} s"
    )
    bp, op = med["bare_paged"], med["ours_paged"]
    print(
        f"first page reloaded: bare {b:8,.0f}/s  ours {o:8,.0f}/s  ratio {o / b:.2f} (target 0.70)"
    )
    print(f"random pages 1-200:  bare {bp:8,.0f}/s  ours {op:8,.0f}/s  ratio {op / bp:.2f}")
    for key, values in rates.items():
        print(f"  {key:10} per round: " + ", ".join(f"{v:,.0f}" for v in values))


if __name__ == "__main__":
    main()
