"""Back office II: a department queue with 100,000 open tasks, and 7-member bundles accepted
per second (the tasks of every member created and their clocks started).

Run:  .venv/bin/python bench/bench_tasks.py [--tasks 100000] [--bundles 200]

1. Queue. N open tasks of one department are written to the ``tasks`` table; a page of 50
   (the first, and one 90 % of the way through by keyset) is timed against the same pages of
   a 1,000-task queue in the same run: the ratio says whether the page cost grows with the
   queue (it should not: an index range, not a scan).
2. Acceptance. M newborn-bundle cases with all seven members ticked are accepted through
   ``office.window.accept`` (the §32 check, the event, its SMS, the fold of eight chains and
   the queue rows of every member, one transaction); the baseline is the same number of
   single-matter cases (出生医学证明, one member) accepted the same way in the same run.
Printed, not asserted.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH.parent / "platform"))
sys.path.insert(0, str(BENCH.parent / "tests" / "office"))

from yijian.store import Store  # noqa: E402
from yijian.store.tasks import TaskRow, replace  # noqa: E402


def fill(store: Store, n: int) -> None:
    rnd = random.Random(7)
    start = date(2026, 1, 5)
    with store.db.write() as c:
        for i in range(n):
            no = f"442000202601{i // 100000:02d}{i % 1000000:06d}"
            due = (start + timedelta(days=rnd.randrange(120))).isoformat()
            row = TaskRow(no, no, "review", "market", "442000", "food-business-licence", "书面审查",
                          "review", "open", None, "2026-01-05", due)  # fmt: skip
            replace(c, no, [row])


def page_times(store: Store, rounds: int = 200) -> tuple[float, float]:
    first = deep = 0.0
    rows = store.tasks.queue("market", ["44"], limit=51)
    all_cursor = None
    # a cursor 90 % of the way through the queue
    with store.db.read() as c:
        total = c.execute("SELECT COUNT(*) FROM tasks WHERE department='market'").fetchone()[0]
        r = c.execute(
            "SELECT due, case_no, step FROM tasks WHERE department='market'"
            " ORDER BY due, case_no, step LIMIT 1 OFFSET ?",
            (int(total * 0.9),),
        ).fetchone()
        all_cursor = "|".join(r)
    assert rows
    for _ in range(rounds):
        t = time.perf_counter()
        store.tasks.queue("market", ["44"], limit=51)
        first += time.perf_counter() - t
        t = time.perf_counter()
        store.tasks.queue("market", ["44"], after=all_cursor, limit=51)
        deep += time.perf_counter() - t
    return first / rounds * 1e6, deep / rounds * 1e6


def queue_bench(n: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        small, big = Store.open(Path(tmp) / "s" / "y.db"), Store.open(Path(tmp) / "b" / "y.db")
        fill(small, 1000)
        t = time.perf_counter()
        fill(big, n)
        print(f"queue: wrote {n:,} open tasks in {time.perf_counter() - t:.1f} s")
        for _ in range(2):  # warm both, then measure interleaved
            page_times(small, 20), page_times(big, 20)
        s1, s2 = page_times(small)
        b1, b2 = page_times(big)
        print(
            f"  first page of 50: {b1:7.0f} µs at {n:,} vs {s1:7.0f} µs at 1,000 → {b1 / s1:.2f}×"
        )
        print(
            f"  page at 90 %:     {b2:7.0f} µs at {n:,} vs {s2:7.0f} µs at 1,000 → {b2 / s2:.2f}×"
        )
        small.close(), big.close()


def accept_bench(m: int) -> None:
    from datetime import datetime

    from taskfixtures import CLERK_GRANTS, NEWBORN, case_answers, member, services, submitted

    from yijian.calendar.clock import CHINA_TZ
    from yijian.office.window import accept

    clerk = member(1, "wang", CLERK_GRANTS)
    with tempfile.TemporaryDirectory() as tmp:
        s = services(Path(tmp), datetime(2025, 9, 30, 10, 0, tzinfo=CHINA_TZ))
        full = case_answers(NEWBORN, 6)  # every optional member ticked: 7 members
        bundles = [submitted(s, NEWBORN, full) for _ in range(m)]
        assert len(s.store.cases.get(bundles[0]).children) == 7
        birth = case_answers("birth-medical-certificate")
        singles = [submitted(s, "birth-medical-certificate", birth) for _ in range(m)]
        t = time.perf_counter()
        for no in singles:
            accept(s, clerk, no)
        single_rate = m / (time.perf_counter() - t)
        t = time.perf_counter()
        for no in bundles:
            accept(s, clerk, no)
        bundle_rate = m / (time.perf_counter() - t)
        rows = sum(len(s.store.tasks.of_case(no)) for no in bundles[:1])
        print(f"accept: {bundle_rate:.0f} 7-member bundles/s ({rows} open tasks each) vs "
              f"{single_rate:.0f} single matters/s → {bundle_rate / single_rate:.2f}×")  # fmt: skip
        s.store.close()


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--tasks", type=int, default=100_000)
    p.add_argument("--bundles", type=int, default=200)
    a = p.parse_args()
    queue_bench(a.tasks)
    accept_bench(a.bundles)


if __name__ == "__main__":
    main()
