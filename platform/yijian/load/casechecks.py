"""Checks of ``cases.yaml`` against the rest of the root, so ``yijian check`` finds what
``yijian test`` (or a citizen) would meet first.

A case is evaluated on its ``context.today`` and may expect a ``deadline``, or its rules may
count working days: these are counted on the working-day calendar, and a year the calendar does
not hold would make the case fail with "no working-day calendar" only when run. Reported at
the case's date with the file to add. A case's ``params:`` must name parameters the matter
has, or the override would silently do nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from yijian.defs.cases import CasesDef
from yijian.load.checks import diagnostic_at
from yijian.load.source import FolderSource
from yijian.located.diagnostics import Diagnostic, did_you_mean, known_list

CODE = "E-CASE-CALENDAR"
PARAM_CODE = "E-CASE-PARAM"


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


def case_param_errors(
    folders: Iterable[FolderSource], compiled: Mapping[str, Any]
) -> list[Diagnostic]:
    """An error for each ``params:`` name of a case that is no parameter of its compiled
    matter or bundle (its rules.yaml, its members', rules/params/): the override would be
    silently ignored and the case would test the dated value after all."""
    out: list[Diagnostic] = []
    for folder in folders:
        src = folder.files.get("cases.yaml")
        cases = folder.model("cases.yaml")
        m = compiled.get(folder.id)
        if src is None or not isinstance(cases, CasesDef) or m is None:
            continue
        known = list(m.parameters)
        for i, case in enumerate(cases.cases):
            for name in case.params:
                if name in m.parameters:
                    continue
                out.append(
                    diagnostic_at(
                        src,
                        ("cases", i, "params", name),
                        f"unknown parameter '{name}'{did_you_mean(name, known)}",
                        PARAM_CODE,
                        f"known parameters: {known_list(known, 8, name) or '(none)'}",
                        key=True,
                    )
                )
    return out
