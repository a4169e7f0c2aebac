"""The same question asked differently by two members of a bundle.

A bundle merges its members' questions by key, so a question asked under one key is asked
once. Two members that ask the same question (the same label) under two keys, with different
options or units, are asked twice and differently: the citizen answers 参保身份 twice, from two
lists, and the two answers can disagree. Same-key differences are the loader's business
(E-BUNDLE-KEY-CONFLICT, ``prefer:``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from yijian.compiled.matter import CompiledMatter, FieldSpec
from yijian.load.analysis.where import Locator, form_fields, form_path
from yijian.located.diagnostics import Diagnostic

_SPACE = re.compile(r"[\s：:？?（）()]+")


def _question(spec: FieldSpec) -> str:
    return _SPACE.sub("", spec.label)


def _options(spec: FieldSpec) -> tuple[str, ...]:
    return tuple(sorted(o.value for o in spec.options))


def _difference(a: FieldSpec, b: FieldSpec) -> str | None:
    if a.options and b.options and _options(a) != _options(b):
        return f"options [{', '.join(_options(a))}] and [{', '.join(_options(b))}]"
    ua, ub = a.definition.unit, b.definition.unit
    if ua != ub and (ua or ub) and str(a.type) == str(b.type):
        return f"units {ua or '(none)'} and {ub or '(none)'}"
    return None


def mismatches(bundle: CompiledMatter, where: Locator) -> Iterator[Diagnostic]:
    """One warning per pair of members asking one question with different options or units,
    at the later member's field."""
    seen: dict[str, tuple[CompiledMatter, FieldSpec]] = {}
    for member in bundle.members:
        for spec, loc, _page in form_fields(member):
            if not spec.key or not spec.label:
                continue
            first = seen.setdefault(_question(spec), (member, spec))
            other, prior = first
            if other.id == member.id or prior.key == spec.key:
                continue
            diff = _difference(prior, spec)
            if diff is None:
                continue
            yield where.warn(
                form_path(member),
                loc,
                f"bundle '{bundle.id}' asks '{spec.label}' twice with different {diff}: "
                f"{spec.key} here, {prior.key} in {other.id}",
                "E-BUNDLE-QUESTION-MISMATCH",
                "use one key and one definition in both members (a field in forms/ used by "
                "both), so the bundle asks the question once",
            )
