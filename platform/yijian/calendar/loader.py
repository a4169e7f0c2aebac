"""Reading calendar files from ``rules/calendar/`` and reporting their mistakes as file:line.

The files are written by county admins, so an error must say which file, which line and what to
do, not show a pydantic traceback. Validation errors are mapped back to YAML lines by walking the
composed node tree (:func:`yijian.located.yamlsrc.locate`) along the error's location; this costs a
second parse only when a file is wrong.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from yijian.calendar.model import CalendarYear, region_chain
from yijian.located.diagnostics import loc_text
from yijian.located.yamlsrc import hostile, locate

FILE_NAME = re.compile(r"^(?P<region>cn|[1-9]\d{5})-(?P<year>\d{4})\.yaml$")
REGION = re.compile(r"^(cn|[1-9]\d{5})$")


class CalendarError(ValueError):
    """A calendar file that cannot be used; says where and, when it can, how to fix it."""

    def __init__(
        self, path: Path | None, message: str, line: int | None = None, hint: str | None = None
    ) -> None:
        self.path = path
        self.line = line
        self.message = message
        self.hint = hint
        where = str(path) if path is not None else "<calendar>"
        if line is not None:
            where = f"{where}:{line}"
        text = f"{where}: {message}"
        super().__init__(f"{text} ({hint})" if hint else text)


def read_calendar_dir(calendar_dir: Path, region: str | None = None) -> list[CalendarYear]:
    """The national files of ``calendar_dir`` plus the overlays that apply to ``region``."""
    if region is not None and not REGION.match(region):
        raise ValueError(f"region must be 'cn' or a 6-digit region code, not {region!r}")
    if not calendar_dir.is_dir():
        raise CalendarError(
            calendar_dir, "calendar folder not found", hint="it holds cn-<year>.yaml files"
        )
    paths: list[Path] = []
    for code in region_chain(region):
        paths.extend(sorted(calendar_dir.glob(f"{code}-*.yaml")))
    return [read_calendar_file(path) for path in paths]


def read_calendar_file(path: Path) -> CalendarYear:
    """Parse and validate one file, checking that its name matches its content."""
    match = FILE_NAME.match(path.name)
    if match is None:
        raise CalendarError(
            path,
            "file name must be <region>-<year>.yaml",
            hint="e.g. cn-2026.yaml, or 450000-2026.yaml for an overlay",
        )
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise CalendarError(path, f"cannot read file: {exc}") from exc
    bomb = hostile(text)  # 50,000 nested "[" crash libyaml's composer (SIGSEGV): never parse it
    if bomb is not None:
        raise CalendarError(path, bomb.message, bomb.line or None, hint=bomb.hint)
    try:
        data = yaml.load(text, Loader=yaml.CSafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        raise CalendarError(path, f"not valid YAML: {exc.problem or exc}", line) from exc
    except yaml.YAMLError as exc:
        raise CalendarError(path, f"not valid YAML: {exc}") from exc
    if not isinstance(data, dict):
        raise CalendarError(path, "expected a mapping with year, region, source, holidays")
    try:
        calendar = CalendarYear.model_validate(data)
    except ValidationError as exc:
        raise _validation_error(path, text, exc) from exc
    expected = (match["region"], int(match["year"]))
    if (calendar.region, calendar.year) != expected:
        raise CalendarError(
            path,
            f"file says region {calendar.region!r}, year {calendar.year}",
            _line_of(text, ("region",) if calendar.region != expected[0] else ("year",)),
            hint=f"rename the file to {calendar.file_name} or fix its content",
        )
    return calendar


def _validation_error(path: Path, text: str, exc: ValidationError) -> CalendarError:
    """The first validation error as file:line: location: message (one fix at a time).

    An unknown key goes first: together with a "field required" error at the same place it is
    almost always a misspelling, so it is reported with the key it probably meant.
    """
    errors = exc.errors(include_url=False)
    errors.sort(key=lambda e: e["type"] != "extra_forbidden")
    error = errors[0]
    loc = tuple(error["loc"])
    ctx = error.get("ctx") or {}
    if not loc and isinstance(ctx.get("path"), tuple):
        loc = ctx["path"]
    message = error["msg"].removeprefix("Value error, ")
    where = loc_text(loc)
    more = len(errors) - 1
    hint = f"{more} more problem(s) after this one" if more else None
    if error["type"] == "extra_forbidden":
        where = loc_text(loc[:-1])
        message = f"unknown key {loc[-1]!r}"
        missing = [
            e["loc"][-1]
            for e in errors
            if e["type"] == "missing" and tuple(e["loc"][:-1]) == loc[:-1]
        ]
        if missing:
            hint = f"did you mean {missing[0]!r}?"
    return CalendarError(
        path, f"{where}: {message}" if where else message, _line_of(text, loc), hint
    )


def _line_of(text: str, loc: tuple[Any, ...]) -> int | None:
    """1-based line of the deepest YAML node on the path ``loc`` (None if unparseable).

    The definitions' own :func:`~yijian.located.yamlsrc.locate` does the walk, so a calendar error
    and a matter error point at a line the same way; only its 0-for-unknown becomes ``None``.
    """
    line, _ = locate(text, loc)
    return line or None
