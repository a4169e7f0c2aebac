"""The values each variable of a matter's rules can take, as the solver's representatives.

A question answers only what its type allows: a choice field one of its options, a boolean
true or false, a number inside its bounds; every question may be unanswered (null). A
parameter takes one of its dated values; anything else (text, identity numbers, context,
staff facts) is free.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from typing import Any

from yijian.compiled.matter import CompiledMatter, FieldSpec
from yijian.load.analysis.solver import Domains, Pool

_CHOICE = {"select", "radio"}
_BOOLEAN = {"boolean", "declaration"}
_NUMBER = {"number", "money"}
_DATE = {"date"}


def field_values(spec: FieldSpec, pool: Pool) -> list[Any] | None:
    """Representatives of a field's answer, or None when it may be any value."""
    kind = str(spec.type)
    values = [o.value for o in spec.options]
    if kind in _CHOICE and values:
        return [None, *values]
    if kind == "checkboxes" and values:
        if len(values) <= 4:
            subsets = itertools.chain.from_iterable(
                itertools.combinations(values, n) for n in range(len(values) + 1)
            )
            return [None, *(list(s) for s in subsets)]
        return [None, [], *([v] for v in values), list(values)]
    if kind in _BOOLEAN:
        return [None, True, False]
    if kind in _NUMBER:
        d = spec.definition
        return [None, *pool.number_values(d.min, d.max)]
    if kind in _DATE:
        return [None, *pool.date_values()]
    return None


def matter_domains(
    matter: CompiledMatter, extra_fields: Mapping[str, FieldSpec] | None = None
) -> Domains:
    """The :data:`Domains` of ``matter``'s rules: its fields and parameters."""
    fields = dict(extra_fields or {})
    fields.update(matter.fields)
    params = matter.parameters

    def domain(name: str, pool: Pool) -> list[Any] | None:
        spec = fields.get(name)
        if spec is not None:
            return field_values(spec, pool)
        if name.startswith("params."):
            p = params.get(name.removeprefix("params."))
            if p is not None:
                return [v.value for v in p.values]
        return None

    return domain


def derived_sources(matter: CompiledMatter) -> dict[str, Any]:
    """Derived value key → its rule as written, for inlining."""
    return {key: rule.source for key, rule in matter.derived}
