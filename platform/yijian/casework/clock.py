"""The case clock: every date and light of a case, computed from its events, never stored.

Pure: events, the promised limit, the working-day calendar and "today" in, a :class:`CaseClock`
out. Nothing here reads the store or the wall clock, so the case page, the window queue,
supervision and the tests compute the same thing, and nothing can drift from the events.

Conventions (domain reference §4; 民法典 §201: the first day does not count):

* **Receipt and the window (§32 行政许可法).** The window has five working days from receipt
  to accept, refuse or send the one correction notice. After a correction the application is
  received again on the day the corrected materials arrive, and the five days run anew. If
  the window does none of these in time, the case *counts as accepted on the day of receipt*
  (``deemed_accepted``): its promised deadline runs from then, and supervision sees it.
* **The promise** counts from the day after acceptance (受理 or 容缺受理): ``add_workdays``
  for working days, plain days for natural-day limits (``runtime.deadline.deadline_from``).
* **Suspensions** (受理后补正, 听证, 检验检测, 鉴定, 专家评审, 公示: §45, not counted) run from a
  ``suspended`` event to the next ``resumed``. Each closed suspension moves the deadline by
  the working days in (suspended, resumed] — at least one (不足 1 个工作日按 1 日计, an
  implementation convention the reference marks as such). While one is open the clock is
  paused: the deadline is not known and the light says so.
* **Extensions** (延期, §42) add their working days; the check in :func:`check_extension`
  (approver, reason, before the deadline, within the legal extension) is pure too.
* **Lights**: red when today is past the deadline; yellow when at most ``yellow_days`` working
  days are left (1 by default; a county may set it); green otherwise; ``paused`` during a
  suspension; ``none`` once the case is closed or has no promise.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from yijian.casework import kinds
from yijian.runtime.deadline import PromisedLimit, deadline_from

__all__ = [
    "WINDOW_DAYS",
    "CaseClock",
    "case_clock",
    "check_extension",
    "recheck",
    "shown_deadline",
    "step_deadline",
    "window",
]

#: 行政许可法 §32: five (working) days to accept, refuse or notify once.
WINDOW_DAYS = 5
#: 行政许可法 §42: the head of the office may extend by ten days.
LEGAL_EXTENSION_DAYS = 10


@dataclass(frozen=True, slots=True)
class CaseClock:
    received_on: date
    window_due: date | None  # last day of the §32 window (None: no calendar for it)
    window_light: str  # the window's light while the case waits there, else "none"
    deemed_accepted: bool
    accepted_on: date | None
    deadline: date | None  # the promised deadline with suspensions and extensions
    days_left: int | None  # working (or natural) days after today up to the deadline
    light: str  # green / yellow / red / paused / none
    suspended_days: int
    extended_days: int
    paused: bool
    closed: bool


def _on(event: Any) -> date:
    return date.fromisoformat(str(event.at)[:10])


def _light(today: date, deadline: date, calendar: Any, workdays: bool, yellow: int) -> str:
    if today > deadline:
        return "red"
    left = calendar.workdays_between(today, deadline) if workdays else (deadline - today).days
    return "yellow" if left <= yellow else "green"


def window(
    received: date, today: date, calendar: Any, yellow_days: int = 1
) -> tuple[int | None, date | None, str]:
    """(working days waited, last day of the §32 window, its light) for an application
    received on ``received`` and still at the window; no calendar for those days: unknown."""
    if calendar is None:
        return None, None, "none"
    try:
        due = calendar.add_workdays(received, WINDOW_DAYS)
        waited = calendar.workdays_between(received, today)
    except LookupError:
        return None, None, "none"
    return waited, due, _light(today, due, calendar, True, yellow_days)


@dataclass(slots=True)
class _Facts:
    """What one pass over the events finds (the clock reads nothing else)."""

    received: date
    accepted: date | None = None
    status: str = "submitted"
    suspended: int = 0
    since: date | None = None  # an open suspension's first day
    extended: int = 0


def _facts(events: Sequence[Any], calendar: Any) -> _Facts:
    f = _Facts(_on(events[0]))
    for e in events:
        kind = e.kind
        if e.status:
            f.status = e.status
        if kind == kinds.CORRECTED and f.accepted is None:
            f.received = _on(e)  # received again, corrected: the window's days run anew
        elif kind in (kinds.ACCEPTED, kinds.TOLERANT_ACCEPTED) and f.accepted is None:
            f.accepted = _on(e)
        elif kind == kinds.SUSPENDED and f.since is None:
            f.since = _on(e)
        elif kind == kinds.RESUMED and f.since is not None:
            days = calendar.workdays_between(f.since, _on(e)) if calendar else 0
            f.suspended += max(1, days)
            f.since = None
        elif kind == kinds.EXTENDED:
            f.extended += int(e.data.get("days", 0))
    return f


def case_clock(
    events: Sequence[Any],
    limit: PromisedLimit | None,
    calendar: Any,
    today: date,
    yellow_days: int = 1,
) -> CaseClock:
    """Every date and light of the case whose events are ``events`` (oldest first)."""
    f = _facts(events, calendar)
    waiting = f.status == kinds.STATUS[kinds.SUBMITTED]
    _, window_due, window_light = window(f.received, today, calendar, yellow_days)
    if not waiting:
        window_light = "none"
    accepted = f.accepted
    late = accepted is not None and window_due is not None and accepted > window_due
    deemed = late or (
        accepted is None and waiting and window_due is not None and today > window_due
    )
    if deemed:
        accepted = f.received  # §32: not decided in time, so accepted on the day of receipt
    closed, paused = f.status in kinds.CLOSED, f.since is not None
    deadline = left = None
    light = "none"
    if accepted is not None and limit is not None and not paused:
        try:
            deadline = deadline_from(accepted, limit, calendar)
            if f.suspended + f.extended:
                more = PromisedLimit(f.suspended + f.extended)  # always working days
                deadline = deadline_from(deadline, more, calendar)
            if limit.workdays:
                left = calendar.workdays_between(today, deadline)
            else:
                left = (deadline - today).days
            if not closed:
                light = "red" if today > deadline else "yellow" if left <= yellow_days else "green"
        except LookupError:  # a year without a calendar file: no date rather than a wrong one
            deadline = left = None
    if paused and not closed:
        light = "paused"
    return CaseClock(
        f.received, window_due, window_light, deemed, accepted, deadline, left, light,
        f.suspended, f.extended, paused, closed,
    )  # fmt: skip


def check_extension(
    events: Sequence[Any],
    limit: PromisedLimit | None,
    calendar: Any,
    today: date,
    days: int,
    *,
    approver: str | None,
    reason: str,
    legal_extension_days: int = LEGAL_EXTENSION_DAYS,
) -> str | None:
    """Why an extension of ``days`` cannot be granted now, or None (行政许可法 §42)."""
    if not approver:
        return "延期须经负责人批准"
    if not reason.strip():
        return "请写明延期理由"
    if days <= 0:
        return "延长的天数须大于 0"
    clock = case_clock(events, limit, calendar, today)
    if clock.closed:
        return "办件已办结或终止，不能延期"
    if clock.deadline is None:
        return "办件尚未受理或时限暂停，不能延期"
    if today > clock.deadline:
        return "办理时限已届满，不能再延期（延期须在时限届满前批准）"
    if clock.extended_days + days > legal_extension_days:
        left = legal_extension_days - clock.extended_days
        return f"延期合计不得超过法定的 {legal_extension_days} 个工作日（还可延长 {left} 个）"
    return None


def step_deadline(opened_on: date, days: int, calendar: Any, natural: bool = False) -> date:
    """The deadline of a routing step opened on ``opened_on`` (from the next day)."""
    if natural:
        return opened_on + timedelta(days=days)
    return calendar.add_workdays(opened_on, days)


def shown_deadline(events: Sequence[Any]) -> str | None:
    """The deadline the applicant was last told (recorded on acceptance, extension and each
    calendar change), as ISO text."""
    for e in reversed(events):
        key = "now" if e.kind == kinds.CALENDAR_CHANGED else "deadline"
        found = (e.data or {}).get(key)
        if found:
            return str(found)
    return None


def recheck(
    events: Sequence[Any], limit: PromisedLimit | None, calendar: Any, today: date
) -> tuple[str, str] | None:
    """(was, now) when counting on ``calendar`` gives another deadline than the one shown —
    a calendar file changed a day already counted. Never applied silently: the caller records
    a ``calendar_changed`` event, which the timeline shows."""
    was = shown_deadline(events)
    if was is None:
        return None
    clock = case_clock(events, limit, calendar, today)
    if clock.deadline is None or clock.closed or clock.deadline.isoformat() == was:
        return None
    return was, clock.deadline.isoformat()
