"""Counting working days (工作日) for time limits, on the holiday notices, never on a weekend rule.

A day is a working day when a notice makes it one (调休上班), otherwise when it is Monday to Friday
and no notice makes it a rest day (放假). The national notice applies everywhere; a regional
overlay (e.g. Guangxi's 壮族三月三) applies on top of it in its region and every region below it,
and where the two disagree about a date the overlay wins (Guangxi has turned a national make-up
Saturday into a rest day before).

Counting rule (行政许可法 第82条; 民法典 第201条): the day of the triggering event (受理, receipt of
the corrected materials…) never counts; day 1 is the first working day AFTER the event date.
This holds whatever the event day is:

* event on a working day, even a make-up Saturday: day 1 is the next working day;
* event on a rest day (weekend, holiday; e.g. an online application received on a Saturday): it
  does not count either, and day 1 is the first working day after it (Saturday + 1 = Monday).
  We deliberately do not first move the event to the next working day and start counting the day
  after that (Saturday + 1 = Tuesday): the law says counting starts the next day, and moving the
  event would give the office a day the law does not grant. A county whose rules say otherwise
  records the acceptance on the working day it actually accepted, which gives the same result.

So 2025-09-30 (Tue) + 5 = 2025-10-14 (the National Day break 10/1-8 is skipped and the make-up
Saturday 10/11 counts), and 2026-02-13 (Fri) + 5 = 2026-02-27 (the make-up Saturday 2/14 is day 1).

A date in a year with no national file raises :class:`MissingCalendarYear`: a silent weekend-only
guess would produce wrong deadlines around every holiday of that year.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Literal

from yijian.calendar.loader import REGION, read_calendar_dir
from yijian.calendar.model import NATIONAL, CalendarYear, region_chain

ONE_DAY = timedelta(days=1)


class MissingCalendarYear(LookupError):
    """A date falls in a year for which no national calendar file exists."""

    def __init__(self, year: int, calendar_dir: Path | None = None) -> None:
        self.year = year
        folder = calendar_dir if calendar_dir is not None else Path("rules/calendar")
        self.file = folder / f"{NATIONAL}-{year}.yaml"
        super().__init__(
            f"no working-day calendar for {year}: add {self.file} "
            "(the State Council publishes the notice each November)"
        )


@dataclass(frozen=True)
class WorkCalendar:
    """The working days of one region, over the years that have a national calendar file."""

    region: str
    years: frozenset[int]
    sources: tuple[CalendarYear, ...] = field(repr=False)
    calendar_dir: Path | None = field(default=None, repr=False)
    _rest: frozenset[date] = field(default=frozenset(), repr=False)
    _work: frozenset[date] = field(default=frozenset(), repr=False)
    # per year: working days from 1 January up to and including each day (built on first use)
    _tables: dict[int, list[int]] = field(
        default_factory=dict, repr=False, compare=False, hash=False
    )
    _added: dict[tuple[date, int], date] = field(
        default_factory=dict, repr=False, compare=False, hash=False
    )

    @classmethod
    def load(cls, calendar_dir: Path, region: str | None = None) -> WorkCalendar:
        """Read ``cn-*.yaml`` and the overlays for ``region`` (and its province, city)."""
        calendars = read_calendar_dir(calendar_dir, region)
        return cls.from_years(calendars, region, calendar_dir=calendar_dir)

    @classmethod
    def from_years(
        cls,
        years: Iterable[CalendarYear],
        region: str | None = None,
        *,
        calendar_dir: Path | None = None,
    ) -> WorkCalendar:
        """Combine national calendars and the overlays that apply to ``region``.

        Overlays of other regions are ignored, so the registry can pass every file it has.
        An overlay for a year without a national calendar is ignored too: the year stays
        missing rather than half-known.
        """
        if region is not None and not REGION.match(region):
            raise ValueError(f"region must be 'cn' or a 6-digit region code, not {region!r}")
        chain = region_chain(region)
        chosen: dict[tuple[str, int], CalendarYear] = {}
        for calendar in years:
            if calendar.region not in chain:
                continue
            key = (calendar.region, calendar.year)
            if key in chosen:
                raise ValueError(f"two calendars for region {key[0]}, year {key[1]}")
            chosen[key] = calendar
        known = frozenset(year for code, year in chosen if code == NATIONAL)
        rest: set[date] = set()
        work: set[date] = set()
        used: list[CalendarYear] = []
        for code in chain:  # widest first, so narrower overlays win
            for year in sorted(known):
                calendar = chosen.get((code, year))
                if calendar is None:
                    continue
                used.append(calendar)
                off, on = calendar.rest_days(), calendar.work_days()
                work -= off
                rest -= on
                rest |= off
                work |= on
        return cls(
            region=chain[-1],
            years=known,
            sources=tuple(used),
            calendar_dir=calendar_dir,
            _rest=frozenset(rest),
            _work=frozenset(work),
        )

    def is_workday(self, d: date) -> bool:
        """Whether ``d`` is a working day here; raises :class:`MissingCalendarYear`."""
        _require_date(d)
        if d.year not in self.years:
            raise MissingCalendarYear(d.year, self.calendar_dir)
        if d in self._work:
            return True
        if d in self._rest:
            return False
        return d.weekday() < 5

    def add_workdays(self, start: date, n: int) -> date:
        """The ``n``-th working day after ``start`` (``start`` itself never counts; n=0: start).

        Found by bisecting the running totals (``_table``), year by year."""
        _require_date(start)
        if n < 0:
            raise ValueError(f"n must be >= 0, not {n}: time limits only run forward")
        if n == 0:
            return start
        found = self._added.get((start, n))
        if found is not None:  # a queue or a clock asks for the same few dates again and again
            return found
        found = self._add(start, n)
        if len(self._added) < 65536:
            self._added[(start, n)] = found
        return found

    def _add(self, start: date, n: int) -> date:
        if start.year not in self.years:  # counting may still begin in the next, known year
            day = start
            while n:
                day += ONE_DAY
                n -= self.is_workday(day)
            return day
        year, target = start.year, self._upto(start) + n
        while True:
            table = self._table(year)  # raises MissingCalendarYear past the last known year
            if table[-1] >= target:
                return date(year, 1, 1) + timedelta(days=bisect.bisect_left(table, target))
            target -= table[-1]
            year += 1

    def workdays_between(self, a: date, b: date) -> int:
        """Working days in (a, b]; negative (minus those in (b, a]) when b is before a.

        Counted from a running total per year, so a queue of cases received months ago costs
        a lookup per case, not a walk over every day in between."""
        _require_date(a)
        _require_date(b)
        if b < a:
            return -self.workdays_between(b, a)
        if a == b:
            return 0
        if a.year == b.year:
            return self._upto(b) - self._upto(a)
        count = self._table(a.year)[-1] - self._upto(a)
        for year in range(a.year + 1, b.year):
            count += self._table(year)[-1]
        return count + self._upto(b)

    def _upto(self, d: date) -> int:
        """Working days from 1 January of ``d``'s year up to and including ``d``."""
        return self._table(d.year)[d.timetuple().tm_yday - 1]

    def _table(self, year: int) -> list[int]:
        table = self._tables.get(year)
        if table is None:
            if year not in self.years:
                raise MissingCalendarYear(year, self.calendar_dir)
            table, total, day = [], 0, date(year, 1, 1)
            while day.year == year:
                total += self.is_workday(day)
                table.append(total)
                day += ONE_DAY
            self._tables[year] = table
        return table

    def remaining_workdays(self, today: date, deadline: date) -> int:
        """Working days left after today up to the deadline: 0 on the deadline, <0 once past."""
        return self.workdays_between(today, deadline)


def traffic_light(
    today: date, deadline: date, cal: WorkCalendar
) -> Literal["green", "yellow", "red"]:
    """red when overdue, yellow at <= 1 working day left (docs/calendar.md), else green."""
    if today > deadline:
        return "red"
    if cal.remaining_workdays(today, deadline) <= 1:
        return "yellow"
    return "green"


def _require_date(d: date) -> None:
    """Refuse datetimes: which local date a timestamp is on is the caller's decision."""
    if isinstance(d, datetime) or not isinstance(d, date):
        raise TypeError(
            f"expected a datetime.date, got {type(d).__name__}: convert timestamps to the "
            "county's local date first"
        )
