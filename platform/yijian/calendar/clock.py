"""One clock for the whole platform: China Standard Time, injected wherever "now" is read.

Why one: case numbers, receipts and deadlines are counted on Beijing dates, whatever time zone
the server runs in. Before, the form runtime took ``date.today()`` (the host's zone) while the
store took China time, so on a UTC host between 00:00 and 08:00 Beijing time a summary's date
disagreed with the case number. Every reader of "now" takes a :data:`Clock` (tests pass a fixed
one) and turns it into a date with :func:`china_today`.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta, timezone

__all__ = ["CHINA_TZ", "Clock", "china_now", "china_today", "fixed_clock", "system_clock"]

# China Standard Time has no daylight saving time; a fixed offset needs no tz database.
CHINA_TZ = timezone(timedelta(hours=8), "CST")

#: Returns an aware datetime; the system clock or a test's fixed one.
Clock = Callable[[], datetime]


def system_clock() -> datetime:
    """Now, in China Standard Time."""
    return datetime.now(UTC).astimezone(CHINA_TZ)


def china_now(clock: Clock = system_clock) -> datetime:
    """``clock()`` as a China Standard Time datetime (a naive value is taken as UTC)."""
    moment = clock()
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(CHINA_TZ)


def china_today(clock: Clock = system_clock) -> date:
    """The Beijing date of ``clock()``: the day deadlines and case numbers are counted on."""
    return china_now(clock).date()


def fixed_clock(moment: datetime) -> Clock:
    """A clock that always answers ``moment`` (tests, batch jobs replaying a day)."""
    return lambda: moment
