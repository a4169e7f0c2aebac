"""Reading the working-day calendar of a definitions root (``rules/calendar/``) as diagnostics.

The calendar loader raises one :class:`~yijian.calendar.CalendarError` carrying the file, the
line, the message and a hint separately; this turns it into a :class:`Diagnostic` like every
other definition error: the path relative to the root (never the absolute path of the
machine the check runs on) and the line, so ``yijian check`` prints
``rules/calendar/cn-2026.yaml:9:1: workdays[0]: … [E-CALENDAR]``.
"""

from __future__ import annotations

from pathlib import Path

from yijian.calendar import CalendarError, WorkCalendar
from yijian.located.diagnostics import Diagnostic

HINT = "see docs/calendar.md"


def _relative(root: Path, path: Path | None) -> str:
    if path is None:
        return "rules/calendar"
    try:
        return Path(path).resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return str(path)


def read_calendar(root: Path, region: str | None) -> tuple[WorkCalendar | None, list[Diagnostic]]:
    """The calendar of ``root`` for ``region`` (None when the root has none), or its error."""
    folder = root / "rules" / "calendar"
    if not folder.is_dir():
        return None, []
    try:
        return WorkCalendar.load(folder, region), []
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
