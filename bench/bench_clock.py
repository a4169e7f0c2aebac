"""The clock and light of 100,000 open cases (issue 8 target: < 1 s on this machine).

Run:  .venv/bin/python bench/bench_clock.py [--cases 100000]

Open cases as a county has them on Tue 2026-09-15: received over the 30 days before, so their
deadlines cross 中秋 and 国庆 (make-up Sunday 9/20). Promised limits of 1–20 days, one in ten
in natural days. Of the cases, 5 % still wait at the window (some past §32's five days:
deemed accepted), 10 % had a suspension that ended, 2 % have one open, 5 % were extended.

Timed: ``casework.clock.case_clock`` (dates, days left, light, §32 window light) for every case.
Baseline in the same run, same cases: the bare deadline alone (``WorkCalendar.add_workdays``
from the acceptance day), the least any clock must do. Printed, not asserted.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections import Counter
from datetime import date, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "platform"))

from yijian.calendar import WorkCalendar  # noqa: E402
from yijian.casework import kinds  # noqa: E402
from yijian.casework.clock import case_clock  # noqa: E402
from yijian.defs.common import TimeUnit  # noqa: E402
from yijian.runtime.deadline import PromisedLimit  # noqa: E402
from yijian.store.events import Event  # noqa: E402

TODAY = date(2026, 9, 15)


def _at(day: date) -> str:
    return f"{day.isoformat()}T10:00:00+08:00"


def cases(n: int) -> list[tuple[list[Event], PromisedLimit, date]]:
    rng = random.Random(7)
    out = []
    for i in range(n):
        day = TODAY - timedelta(days=rng.randrange(0, 30))
        unit = TimeUnit.自然日 if i % 10 == 3 else TimeUnit.工作日
        limit = PromisedLimit(rng.randrange(1, 21), unit)
        events = [Event("c", 1, kinds.SUBMITTED, "submitted", None, _at(day), {})]
        if i % 20 == 1:  # still at the window
            out.append((events, limit, day))
            continue
        events.append(Event("c", 2, kinds.ACCEPTED, "accepted", "s", _at(day), {}))
        if i % 10 == 0:
            events.append(Event("c", 3, kinds.SUSPENDED, None, "s", _at(day + timedelta(3)), {}))
            events.append(Event("c", 4, kinds.RESUMED, None, "s", _at(day + timedelta(8)), {}))
        if i % 50 == 7:
            events.append(Event("c", 5, kinds.SUSPENDED, None, "s", _at(day + timedelta(1)), {}))
        if i % 20 == 2:
            events.append(Event("c", 6, kinds.EXTENDED, None, "s", _at(day), {"days": 5}))
        out.append((events, limit, day))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=100_000)
    args = parser.parse_args()
    cal = WorkCalendar.load(REPO / "rules" / "calendar")
    data = cases(args.cases)
    start = time.perf_counter()
    for _, limit, day in data:
        cal.add_workdays(day, limit.days)
    bare = time.perf_counter() - start
    start = time.perf_counter()
    lights: Counter[str] = Counter()
    for events, limit, _ in data:
        clock = case_clock(events, limit, cal, TODAY)
        lights[clock.light if clock.accepted_on else f"window {clock.window_light}"] += 1
    ours = time.perf_counter() - start
    print(f"{args.cases:,} open cases: clock and light in {ours:.3f} s (target < 1 s)")
    print(f"bare deadline (add_workdays) in {bare:.3f} s; ours / bare = {ours / bare:.1f}x")
    print("lights:", ", ".join(f"{k} {v:,}" for k, v in sorted(lights.items())))


if __name__ == "__main__":
    main()
