"""The shape of one working-day calendar file (工作日历): one region, one year.

A file records exactly what a holiday notice says and nothing else: the rest days (放假) and the
Saturdays/Sundays that become working days (调休上班). Ordinary weekdays and weekends are implied,
so a file stays as short as the notice and an admin can check it line by line against the text.

The checks here are the ones an admin can get wrong while typing a notice in: a date in the wrong
year, a range written backwards, a make-up workday that is not on a weekend (almost always a typo
in the date), a date listed both as rest day and as workday. Errors that concern one entry carry
that entry's location (``ctx["path"]``) so that the loader can point at the YAML line.
"""

from __future__ import annotations

import datetime as dt
import re

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator
from pydantic_core import PydanticCustomError

NATIONAL = "cn"
"""Region of the national calendar (the State Council's notice)."""

REGION_PATTERN = r"^(cn|[1-9]\d{5})$"

_CONFIG = ConfigDict(extra="forbid", frozen=True, validate_by_name=True, validate_by_alias=True)


def _problem(kind: str, message: str, path: tuple[str | int, ...]) -> PydanticCustomError:
    """An error that remembers which entry it is about, for file:line reporting."""
    return PydanticCustomError(kind, message, {"path": path})


class Holiday(BaseModel):
    """A run of rest days (放假), both ends included, as the notice states it."""

    model_config = _CONFIG

    name: str = Field(min_length=1, description="Name of the holiday as in the notice, e.g. 春节.")
    from_: dt.date = Field(
        alias="from", description="First rest day (inclusive), written YYYY-MM-DD."
    )
    to: dt.date = Field(description="Last rest day (inclusive), written YYYY-MM-DD.")

    @model_validator(mode="after")
    def _ordered(self) -> Holiday:
        if self.from_ > self.to:
            raise ValueError(f"{self.name}: 'from' {self.from_} is after 'to' {self.to}")
        return self

    def dates(self) -> list[dt.date]:
        """Every rest day of the run."""
        days = (self.to - self.from_).days
        return [self.from_ + dt.timedelta(days=i) for i in range(days + 1)]


class MakeupWorkday(BaseModel):
    """A Saturday or Sunday that is a working day (调休上班)."""

    model_config = _CONFIG

    date: dt.date = Field(description="The Saturday or Sunday that is worked, YYYY-MM-DD.")
    name: str = Field(
        min_length=1, description="Why it is worked, e.g. 春节调休 (shown in the admin pages)."
    )

    @model_validator(mode="after")
    def _on_weekend(self) -> MakeupWorkday:
        if self.date.weekday() < 5:
            weekday = self.date.strftime("%A")
            raise ValueError(
                f"{self.date} is a {weekday}; a make-up workday (调休上班) must be a Saturday "
                "or Sunday: check the date against the notice"
            )
        return self


class CalendarYear(BaseModel):
    """One holiday notice: the national one (region ``cn``) or a regional overlay."""

    model_config = _CONFIG

    year: int = Field(ge=2000, le=2100, description="Calendar year the notice covers.")
    region: str = Field(
        description=(
            "'cn' for the State Council's national notice, or a 6-digit administrative region "
            "code (e.g. '450000' for Guangxi) for an overlay that applies on top of 'cn' in that "
            "region and all regions below it."
        ),
    )
    source: str = Field(
        min_length=1,
        description="Title and document number of the notice the dates come from.",
    )
    verified: bool = Field(
        default=True,
        description=(
            "false while the dates have not yet been checked against the official notice; "
            "the dates are used either way."
        ),
    )
    note: str | None = Field(
        default=None, description="Free text for maintainers, e.g. what is still to be checked."
    )
    holidays: tuple[Holiday, ...] = Field(
        default=(),
        description="Runs of rest days (放假) as the notice lists them, weekends included.",
    )
    workdays: tuple[MakeupWorkday, ...] = Field(
        default=(), description="Saturdays and Sundays that are working days (调休上班)."
    )

    @field_validator("region", mode="before")
    @classmethod
    def _region_as_text(cls, value: object) -> object:
        """Accept ``region: 450000`` unquoted: YAML reads it as a number."""
        if isinstance(value, int) and not isinstance(value, bool):
            return str(value)
        return value

    @field_validator("region")
    @classmethod
    def _region_code(cls, value: str) -> str:
        if not re.match(REGION_PATTERN, value):
            raise ValueError(f"{value!r} is neither 'cn' nor a 6-digit region code like '450000'")
        return value

    @model_validator(mode="after")
    def _consistent(self) -> CalendarYear:
        rest: dict[dt.date, int] = {}
        for i, holiday in enumerate(self.holidays):
            for key, day in (("from", holiday.from_), ("to", holiday.to)):
                self._check_year(day, ("holidays", i, key))
            for day in holiday.dates():
                if day in rest:
                    raise _problem(
                        "duplicate_rest_day",
                        f"{day} is listed in two holidays",
                        ("holidays", i),
                    )
                rest[day] = i
        seen: set[dt.date] = set()
        for i, workday in enumerate(self.workdays):
            self._check_year(workday.date, ("workdays", i, "date"))
            if workday.date in seen:
                raise _problem(
                    "duplicate_workday",
                    f"{workday.date} is listed twice",
                    ("workdays", i, "date"),
                )
            seen.add(workday.date)
            if workday.date in rest:
                name = self.holidays[rest[workday.date]].name
                raise _problem(
                    "rest_day_is_workday",
                    f"{workday.date} is both a rest day ({name}) and a make-up workday",
                    ("workdays", i, "date"),
                )
        return self

    def _check_year(self, day: dt.date, path: tuple[str | int, ...]) -> None:
        if day.year != self.year:
            raise _problem(
                "date_outside_year",
                f"{day} is not in {self.year}: a file holds one year; put it in that year's file",
                path,
            )

    def rest_days(self) -> set[dt.date]:
        """All rest days the notice declares."""
        return {day for holiday in self.holidays for day in holiday.dates()}

    def work_days(self) -> set[dt.date]:
        """All weekend days the notice declares as working days."""
        return {w.date for w in self.workdays}

    @property
    def file_name(self) -> str:
        """The file this notice belongs in: ``<region>-<year>.yaml``."""
        return f"{self.region}-{self.year}.yaml"


def region_chain(region: str | None) -> tuple[str, ...]:
    """The regions whose calendars apply to ``region``, widest first.

    "450102" (a district of Nanning) is governed by the national notice, then Guangxi's
    ("450000"), then Nanning's ("450100"), then its own; a county therefore inherits its
    province's regional holidays without repeating them.
    """
    if region is None or region == NATIONAL:
        return (NATIONAL,)
    chain = [NATIONAL]
    for code in (region[:2] + "0000", region[:4] + "00", region):
        if code not in chain:
            chain.append(code)
    return tuple(chain)
