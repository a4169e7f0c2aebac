"""The examples' snapshot and answers that fail a rule, shared by the explanation tests."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from yijian.compiled.matter import CompiledMatter, EligibilitySpec
from yijian.tools.casetest import collect

ROOT = Path(__file__).resolve().parents[1]
SNAP, _RUNS, _ERRORS = collect(ROOT)
assert SNAP is not None
IDS = sorted(mid for mid, m in SNAP.matters.items() if m.eligibility)
_NUMBERS = (0, 1, 12, 37, 100, 240, 1000)
_DATES = ("1950-01-01", "2000-06-15", "2024-01-01", "2099-01-01")


def candidates(m: CompiledMatter, key: str) -> list[Any]:
    f = m.fields[key]
    found: list[Any] = [o.value for o in f.options]
    kind = str(f.type)
    if kind == "boolean":
        found += [True, False]
    elif kind in ("number", "integer", "money"):
        found += list(_NUMBERS)
    elif kind in ("date", "datetime"):
        found += [d if kind == "date" else f"{d}T08:00" for d in _DATES]
    elif kind == "checkboxes":
        found = [[o.value] for o in f.options] + [[]]
    return [*found, None]


def questions(m: CompiledMatter, spec: EligibilitySpec) -> list[str]:
    """The questions a rule and its ``applies_if`` read, through the derived values read."""
    derived = dict(m.derived)
    todo = [*spec.when.reads, *(spec.applies_if.reads if spec.applies_if else ())]
    seen, out = set(), []
    while todo:
        key = todo.pop(0)
        if key in seen:
            continue
        seen.add(key)
        if key in m.fields:
            out.append(key)
        elif key in derived:
            todo += list(derived[key].reads)
    return out
