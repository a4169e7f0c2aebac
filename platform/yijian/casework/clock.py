"""The case clock: every date and light of a case, computed from its events, never stored.

Pure: events, the promised limit, the working-day calendar and "today" in, a :class:`CaseClock`
out. Nothing here reads the store or the wall clock, so the case page, the window queue,
supervision and the tests compute the same thing, and nothing can drift from the events.

Conventions (domain reference §4; 民法典 §201: the day of the event does not count):

* **Receipt and the window (§32 行政许可法).** Five working days from receipt to accept, refuse
  or send the one correction notice; a correction answered is a new receipt. Any of these
  after the fifth day, or none by then, and the case *counts as accepted on the day of
  receipt* (``deemed_accepted``; ``casework.facts`` reads the events).
* **The promise** runs from the day after acceptance (受理 or 容缺受理) by
  ``runtime.deadline.deadline_from``: working days, or natural days for a 自然日 limit.
* **Suspensions** (受理后补正, 听证, 检验检测, 鉴定, 专家评审, 公示; §45 不计入期限) stop the
  clock from a ``suspended`` event to the next ``resumed``. The days stopped are those in
  (suspended, resumed]: the suspension day itself had already begun to run, and counting
  resumes the day after resumption, as after any event. They are the limit's own days —
  working days for a working-day limit, every day for a natural-day one — and at least one
  (a suspension lifted the same day still cost that day: our convention, not the law's).
  Only a suspension that begins on or before the deadline reached so far counts; one opened
  later cannot cure a late case. While one is open the deadline is unknown: ``paused``.
* **Extensions** (延期, §42) add working days (§82), if granted by the deadline reached so
  far; :func:`check_extension` is the pure check an approver's request goes through.
* **Lights** (``casework.lights``): red past the deadline, yellow with ≤ ``yellow_days``
  working days left, else green; ``paused``; ``none`` once closed or without a promise.
* **Calendar years.** Counting into a year with no file gives no date (``None``), never a
  guess. A deadline once told is recorded on its event (``data.deadline``); ``recheck``
  finds where today's calendar counts another date so the caller records ``calendar_changed``
  (policy: ``casework.recount``).

This module is the clock's one public face; the parts live in ``casework.facts`` (reading the
events), ``casework.count`` (the arithmetic), ``casework.lights``, ``casework.extension`` and
``casework.recount``.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from yijian.casework.count import LEGAL_EXTENSION_DAYS, CaseClock, case_clock
from yijian.casework.extension import check_extension
from yijian.casework.lights import WINDOW_DAYS, light, window
from yijian.casework.recount import (
    Moved,
    changed_days,
    recheck,
    recheck_calendars,
    shown_deadline,
)
from yijian.defs.common import TimeUnit
from yijian.runtime.deadline import PromisedLimit, deadline_from

__all__ = [
    "LEGAL_EXTENSION_DAYS",
    "WINDOW_DAYS",
    "CaseClock",
    "Moved",
    "case_clock",
    "changed_days",
    "check_extension",
    "light",
    "recheck",
    "recheck_calendars",
    "shown_deadline",
    "step_deadline",
    "window",
]


def step_deadline(opened_on: date, days: int, calendar: Any, natural: bool = False) -> date:
    """The last day of a routing step opened on ``opened_on``, counted from the next day like
    the promise (working days; ``natural``: every day). Raises LookupError past the calendar."""
    unit = TimeUnit.自然日 if natural else TimeUnit.工作日
    return deadline_from(opened_on, PromisedLimit(days, unit), calendar)
