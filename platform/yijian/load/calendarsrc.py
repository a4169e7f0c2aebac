"""Reading the working-day calendar (the package's and a root's ``rules/calendar/``) as
diagnostics.

The calendar loader raises one :class:`~yijian.calendar.CalendarError` carrying the file, the
line, the message and a hint separately; this turns it into a :class:`Diagnostic` like every
other definition error: the path relative to the root (never the absolute path of the
machine the check runs on) and the line, so ``yijian check`` prints
``rules/calendar/cn-2026.yaml:9:1: workdays[0]: … [E-CALENDAR]``.
"""

from __future__ import annotations

from pathlib import Path

from yijian import packaged
from yijian.calendar import CalendarError, WorkCalendar
from yijian.calendar.loader import read_calendar_file
from yijian.calendar.model import region_chain
from yijian.located.diagnostics import Diagnostic

HINT = "see docs/calendar.md"


def _relative(root: Path, path: Path | None) -> str:
    if path is None:
        return "rules/calendar"
    try:
        return Path(path).resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return str(path)


def calendar_files(root: Path, region: str | None) -> list[Path]:
    """The calendar files that apply to ``region``: the package's (national notices, known
    regional overlays), then the root's ``rules/calendar/``; a root file replaces the package's
    file of the same name (a notice published after the installed release)."""
    own_dir = root / "rules" / "calendar"
    chain = region_chain(region)
    picked: dict[str, Path] = {}
    for folder in (packaged.CALENDAR, own_dir):
        if folder.is_dir():
            for code in chain:
                for path in sorted(folder.glob(f"{code}-*.yaml")):
                    picked[path.name] = path
    return sorted(picked.values(), key=lambda p: (chain.index(p.name.split("-")[0]), p.name))


def read_calendar(root: Path, region: str | None) -> tuple[WorkCalendar | None, list[Diagnostic]]:
    """The calendar of ``root`` for ``region`` (the package's plus the root's), or its error."""
    try:
        years = [read_calendar_file(p) for p in calendar_files(root, region)]
        if not years:
            return None, []
        return WorkCalendar.from_years(years, region, calendar_dir=root / "rules" / "calendar"), []
    except CalendarError as exc:
        line = exc.line or 0
        diag = Diagnostic(
            _relative(root, exc.path),
            line,
            1 if line else 0,
            "",
            exc.message,
            "E-CALENDAR",
            f"{exc.hint}; {HINT}" if exc.hint else HINT,
        )
        return None, [diag]
