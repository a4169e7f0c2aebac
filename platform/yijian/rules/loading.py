"""Where rule functions come from: installed entry points and a definitions root's files.

Kept apart from :mod:`yijian.rules.engine` because finding and importing code is a different
concern from checking and evaluating rules: the engine takes a plain list of
:class:`~yijian.rules.functions.RuleFunction` and never imports anything itself, so built-ins,
installed packages and a county's ``rules/*.py`` all reach it the same way. Both functions are
re-exported by :mod:`yijian.rules.engine`, where callers have always imported them.
"""

from __future__ import annotations

import importlib
import importlib.machinery
import importlib.metadata
import importlib.util
import sys
import traceback
import uuid
from pathlib import Path
from typing import Any

from yijian.rules.functions import ENTRY_POINT_GROUP, RuleFunction, collect

__all__ = ["BUILTIN_MODULES", "builtin_functions", "load_rule_module"]

BUILTIN_MODULES = (
    "yijian.rules.builtins.china",
    "yijian.rules.builtins.dates",
    "yijian.rules.builtins.tables",
)


def builtin_functions() -> list[RuleFunction]:
    """The functions of every module registered in the ``yijian.rule_functions`` entry-point
    group: ours first, then installed packages by name, so a package may override a built-in.

    Without the ``yijian`` distribution metadata (running from a source tree that was never
    installed) the built-in modules are imported directly.
    """
    try:
        importlib.metadata.distribution("yijian")
        modules: list[str] = []
    except importlib.metadata.PackageNotFoundError:
        modules = list(BUILTIN_MODULES)
    points = importlib.metadata.entry_points(group=ENTRY_POINT_GROUP)
    ordered = sorted(points, key=lambda ep: (ep.dist is None or ep.dist.name != "yijian", ep.value))
    modules += [ep.value for ep in ordered if ep.value not in modules]
    return [fn for name in modules for fn in collect(importlib.import_module(name))]


class _SourceLoader(importlib.machinery.SourceFileLoader):
    """Compile from the source every time, never from ``__pycache__``: a .pyc is validated by
    the file's size and mtime in whole seconds, so a quick same-length edit would load stale
    code (and a county's definitions root should not grow cache folders)."""

    def get_code(self, fullname: str) -> Any:
        return self.source_to_code(self.get_data(self.path), self.path)


def _located(path: Path, exc: BaseException) -> str:
    """``file:line: Type: message`` for an exception raised while importing ``path``."""
    if isinstance(exc, SyntaxError):
        return f"{path}:{exc.lineno or 1}: {type(exc).__name__}: {exc.msg}"
    frames = traceback.extract_tb(exc.__traceback__)
    inside = [f for f in frames if Path(f.filename) == Path(path)]
    where = f"{path}:{inside[-1].lineno}" if inside else str(path)
    return f"{where}: {type(exc).__name__}: {exc}"


def load_rule_module(path: Path) -> tuple[list[RuleFunction], str | None]:
    """Import a definitions root's ``rules/<theme>.py`` afresh and collect its functions.

    Each load gets a new module name, so an edited file is executed again and the old
    module's functions are not mixed in. Never raises: an import failure comes back as
    ``file:line: message`` with no functions, and the caller keeps its last good snapshot.
    """
    name = f"yijian_rules_{uuid.uuid4().hex}"
    try:
        loader = _SourceLoader(name, str(path))
        spec = importlib.util.spec_from_file_location(name, path, loader=loader)
        if spec is None:
            return [], f"{path}: not a Python file"
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module  # dataclasses and typing look the module up while it runs
        try:
            loader.exec_module(module)
        finally:
            del sys.modules[name]
        return collect(module, origin=str(path)), None
    except (Exception, SystemExit) as exc:
        return [], _located(path, exc)
