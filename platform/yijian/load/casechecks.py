"""Checks of ``cases.yaml`` against the rest of the root, so ``yijian check`` finds what
``yijian test`` (or a citizen) would meet first.

A case is evaluated on its ``context.today`` and may expect a ``deadline``, or its rules may
count working days: these are counted on the working-day calendar, and a year the calendar does
not hold would make the case fail with "no working-day calendar" only when run. Reported at
the case's date with the file to add.
"""

from __future__ import annotations

from collections.abc import Iterable

from yijian.defs.cases import CasesDef
from yijian.load.checks import diagnostic_at
from yijian.load.source import FolderSource
from yijian.located.diagnostics import Diagnostic

CODE = "E-CASE-CALENDAR"


#: Rule functions that count on the calendar (yijian.rules.builtins.dates).
CALENDAR_FUNCTIONS = ('"workdays_add"', '"workdays_between"', '"is_workday"')


def _counts_workdays(folder: FolderSource) -> bool:
    """Whether a rule of the folder calls a working-day function (its text says so)."""
    return any(f in src.text for src in folder.files.values() for f in CALENDAR_FUNCTIONS)


def case_calendar_errors(
    folders: Iterable[FolderSource], calendar: object | None
) -> list[Diagnostic]:
    """An error for each case that counts working days (it expects a ``deadline``, or a rule
    of its folder calls a working-day function) on a day (``context.today``,
    ``expect.deadline``) in a year with no national calendar file, the package's or the root's.
    A case that counts nothing may be dated in any year (an eligibility case in 2028)."""
    years = getattr(calendar, "years", None)
    out: list[Diagnostic] = []
    for folder in folders:
        src = folder.files.get("cases.yaml")
        cases = folder.model("cases.yaml")
        if src is None or not isinstance(cases, CasesDef):
            continue
        counts = _counts_workdays(folder)
        for i, case in enumerate(cases.cases):
            dated = []
            if counts or case.expect.deadline is not None:
                dated.append((("context", "today"), case.context.today))
            if case.expect.deadline is not None:
                dated.append((("expect", "deadline"), case.expect.deadline))
            for loc, day in dated:
                if years is not None and day.year in years:
                    continue
                have = ", ".join(str(y) for y in sorted(years or ())) or "none"
                out.append(
                    diagnostic_at(
                        src,
                        ("cases", i, *loc),
                        f"{day.isoformat()} is in {day.year}, which has no working-day calendar "
                        f"(years known: {have})",
                        CODE,
                        f"add rules/calendar/cn-{day.year}.yaml (docs/calendar.md), or date the "
                        "case in a known year",
                    )
                )
                break  # one error per case: the first date out of the calendar
    return out
