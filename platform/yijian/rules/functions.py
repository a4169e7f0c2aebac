"""Rule functions: plain typed Python functions that rules call as JsonLogic operators.

A function is marked with :func:`rule_function` and collected from a module by
:func:`collect`. Marking instead of registering into a global table keeps modules
reloadable: the registry of a snapshot is rebuilt from the modules each time, so a
changed ``rules/<theme>.py`` replaces its functions without stale entries.
Built-ins (``yijian.rules.builtins``), installed packages (entry-point group
``yijian.rule_functions``) and a definitions root's ``rules/*.py`` all use this
same mechanism.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import dataclass
from types import ModuleType
from typing import Any, TypeVar

from yijian.extend import RULE_FUNCTIONS

F = TypeVar("F", bound=Callable[..., Any])

MARK = "__yijian_rule_function__"
ENTRY_POINT_GROUP = RULE_FUNCTIONS.group  # "yijian.rule_functions"


@dataclass(frozen=True)
class RuleFunction:
    """One operator: its name, the callable, how many arguments it takes, its doc."""

    name: str
    func: Callable[..., Any]
    min_args: int
    max_args: int | None
    doc: str
    origin: str  # module name or file path, for error messages and docs

    def signature(self) -> str:
        return f"{self.name}{inspect.signature(self.func)}"


def rule_function(name: str | None = None) -> Callable[[F], F]:
    """Mark ``func`` as a rule operator called ``name`` (default: the function's name)."""

    def mark(func: F) -> F:
        setattr(func, MARK, name or func.__name__)
        return func

    return mark


def describe(func: Callable[..., Any], origin: str) -> RuleFunction:
    """Build a :class:`RuleFunction` from a marked function, reading its arity."""
    sig = inspect.signature(func)
    positional = [
        p for p in sig.parameters.values() if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)
    ]
    varargs = any(p.kind == p.VAR_POSITIONAL for p in sig.parameters.values())
    required = sum(1 for p in positional if p.default is p.empty)
    return RuleFunction(
        name=getattr(func, MARK),
        func=func,
        min_args=required,
        max_args=None if varargs else len(positional),
        doc=inspect.cleandoc(func.__doc__ or ""),
        origin=origin,
    )


def collect(module: ModuleType, origin: str | None = None) -> list[RuleFunction]:
    """Every marked function defined in ``module``, in source order."""
    found = []
    for value in vars(module).values():
        # only functions defined here: an imported marked function belongs to its own module
        if callable(value) and hasattr(value, MARK) and value.__module__ == module.__name__:
            found.append(describe(value, origin or module.__name__))
    found.sort(key=_line)
    return found


def _line(f: RuleFunction) -> int:
    code = getattr(f.func, "__code__", None)
    return code.co_firstlineno if code is not None else 0
