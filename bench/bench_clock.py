"""The clock and light of 100,000 open cases (issue target: < 1 s on this machine).

Run:  .venv/bin/python bench/bench_clock.py [--cases 100000]

Each case has its events (submitted, accepted; every tenth also suspended and resumed, every
twentieth extended) on dates spread over 2026, and a promised limit of 1–20 working days.
Timed: ``casework.clock.case_clock`` for every case, today fixed. Baseline in the same run:
the bare deadline alone (``WorkCalendar.add_workdays`` from the acceptance day) for the same
cases: the least any clock must do. Printed, not asserted.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from datetime import date, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "platform"))

from yijian.calendar import WorkCalendar  # noqa: E402
from yijian.casework import kinds  # noqa: E402
from yijian.casework.clock import case_clock  # noqa: E402
from yijian.runtime.deadline import PromisedLimit  # noqa: E402
from yijian.store.events import Event  # noqa: E402


def cases(n: int) -> list[tuple[list[Event], PromisedLimit, date]]:
    rng = random.Random(7)
    out = []
    for i in range(n):
        day = date(2026, 1, 5) + timedelta(days=rng.randrange(0, 240))
        at = f"{day.isoformat()}T10:00:00+08:00"
        events = [
            Event("c", 1, kinds.SUBMITTED, "submitted", None, at, {}),
            Event("c", 2, kinds.ACCEPTED, "accepted", "s", at, {}),
        ]
        if i % 10 == 0:
            later = (day + timedelta(days=3)).isoformat() + "T10:00:00+08:00"
            end = (day + timedelta(days=8)).isoformat() + "T10:00:00+08:00"
            events += [
                Event("c", 3, kinds.SUSPENDED, None, "s", later, {"procedure": "检验检测"}),
                Event("c", 4, kinds.RESUMED, None, "s", end, {}),
            ]
        if i % 20 == 0:
            events.append(Event("c", 5, kinds.EXTENDED, None, "s", at, {"days": 5}))
        out.append((events, PromisedLimit(rng.randrange(1, 21)), day))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=100_000)
    args = parser.parse_args()
    cal = WorkCalendar.load(REPO / "rules" / "calendar")
    data = cases(args.cases)
    today = date(2026, 9, 15)
    start = time.perf_counter()
    for _, limit, day in data:
        cal.add_workdays(day, limit.days)
    bare = time.perf_counter() - start
    start = time.perf_counter()
    lights: dict[str, int] = {}
    for events, limit, _ in data:
        light = case_clock(events, limit, cal, today).light
        lights[light] = lights.get(light, 0) + 1
    ours = time.perf_counter() - start
    print(f"{args.cases:,} open cases: clock and light in {ours:.3f} s (target < 1 s)")
    print(f"bare deadline (add_workdays) in {bare:.3f} s; ours / bare = {ours / bare:.1f}x")
    print("lights:", ", ".join(f"{k} {v:,}" for k, v in sorted(lights.items())))


if __name__ == "__main__":
    main()
