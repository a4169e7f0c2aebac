"""Deadlines already told are never changed silently: the worker's calendar re-check.

When next year's calendar file arrives, or a published one is corrected, counting the same
working days can end on another date. For every running case whose recomputed deadline differs
from the one it was told, the worker appends a ``calendar_changed`` event (was → now): the
timeline shows it, supervision sees it, and the hash chain keeps it.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from yijian.apply.cases import limit_of
from yijian.casework import kinds
from yijian.casework.clock import recheck

__all__ = ["recheck_deadlines"]


def _record(store: Any, case: Any, calendar: Any, today: date) -> bool:
    events = store.cases.events(case.case_no)
    limit = limit_of(case, None)
    found = recheck(events, limit, calendar, today)
    if found is None:
        return False
    was, now = found

    def still(current: list[Any]) -> str | None:
        again = recheck(current, limit, calendar, today)
        return None if again and again[0] == was else "已记录"

    done = store.cases.act(
        case.case_no,
        kinds.CALENDAR_CHANGED,
        status=None,
        actor="system:worker",
        data={"was": was, "now": now},
        check=still,
    )
    return not isinstance(done, str)


def recheck_deadlines(store: Any, calendar: Any, today: date) -> list[str]:
    """Record every changed deadline of a running case; the case numbers changed."""
    running = store.cases.with_open_kind(kinds.ACCEPTED, "accepted")
    running += store.cases.with_open_kind(kinds.TOLERANT_ACCEPTED, "accepted")
    changed = []
    for case_no in sorted(set(running)):
        case = store.cases.get(case_no)
        if case is not None and _record(store, case, calendar, today):
            changed.append(case_no)
    return changed
