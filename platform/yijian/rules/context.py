"""The evaluation day: what ``today`` means while rules run.

Rules that compare against today (an age, a deadline, "born in the last 6 months") must give
the same answer in ``yijian test`` next year as today, and a case must be re-evaluable as of
the day it was submitted. So the date functions read :data:`TODAY` instead of the clock; a
``ContextVar`` keeps one request's or one test's day from leaking into another thread or task.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date

TODAY: ContextVar[date | None] = ContextVar("yijian_today", default=None)


def current_day() -> date:
    """The evaluation day if one is set, else the system date."""
    return TODAY.get() or date.today()


@contextmanager
def evaluation_day(day: date | None) -> Iterator[date | None]:
    """Evaluate rules as of ``day`` inside the block (``None``: the system date)."""
    token = TODAY.set(day)
    try:
        yield day
    finally:
        TODAY.reset(token)
