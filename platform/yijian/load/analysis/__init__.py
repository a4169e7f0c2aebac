"""Definition analysis: what a matter's rules can and cannot do, as warnings.

``yijian check`` runs it once the definitions load (:func:`analyse`); each finding is a
warning with file:line and a hint, documented with the error codes
(docs/reference/errors.md): a required field never shown (E-REQUIRED-HIDDEN), a visible_if
that never or always holds (E-VISIBLE-CONSTANT), an eligibility rule nobody can pass or fail
(E-ELIGIBILITY-CONSTANT), an optional answer nothing reads (E-FIELD-UNUSED), a material no
situation requires (E-MATERIAL-UNREACHABLE), and in a bundle one question asked differently
by two members (E-BUNDLE-QUESTION-MISMATCH). ``yijian graph ID`` draws the same dependencies
(:mod:`yijian.load.analysis.graph`).

Not part of a build: the server never pays for it, and a warning here never stops a reload.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from yijian.compiled.matter import CompiledMatter
from yijian.load.analysis.bundlechecks import mismatches
from yijian.load.analysis.rulechecks import RuleChecks
from yijian.load.analysis.usage import edges, unused
from yijian.load.analysis.where import Locator, form_path
from yijian.located.diagnostics import Diagnostic
from yijian.rules.engine import RuleEngine

__all__ = ["analyse"]


def _unused(matter: CompiledMatter, others: set[str], where: Locator) -> list[Diagnostic]:
    return [
        where.warn(
            form_path(matter),
            where.field(form_path(matter), spec.key),
            f"field '{spec.key}' ({spec.label}) is optional and nothing reads it: no rule, "
            "material, step or document",
            "E-FIELD-UNUSED",
            "remove it, make it required if the staff need it, or use it in rules.yaml",
        )
        for spec in unused(matter, others)
    ]


def analyse(root: Path, matters: Iterable[CompiledMatter], engine: RuleEngine) -> list[Diagnostic]:
    """Every analysis warning of ``matters`` (matters and bundles of one snapshot)."""
    matters = list(matters)
    where = Locator(root)
    bundle_reads: dict[str, set[str]] = {}
    for b in matters:
        if b.kind == "bundle":
            keys = {e.key for e in edges(b)}
            for member in b.members:
                bundle_reads.setdefault(member.id, set()).update(keys)
    out: list[Diagnostic] = []
    for m in matters:
        out += RuleChecks(m, engine, where).all()
        out += _unused(m, bundle_reads.get(m.id, set()), where)
        if m.kind == "bundle":
            out += mismatches(m, where)
    return out
