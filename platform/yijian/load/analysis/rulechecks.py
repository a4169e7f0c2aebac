"""Rules that cannot change their mind: visibility, eligibility and material conditions.

Each check asks the solver (:mod:`yijian.load.analysis.solver`) which truth values a rule can
take over every answer the form allows. A rule that can take only one is almost always a
mistake: an option spelt differently in the rule and the form, a bound that excludes the
threshold, two conditions that contradict each other. They are warnings: the matter still
works, but a citizen would meet a question never shown or a rule nobody can pass.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from yijian.compiled.matter import CompiledMatter
from yijian.defs.matter import Necessity
from yijian.load.analysis.domains import derived_sources, matter_domains
from yijian.load.analysis.solver import Domains, conj, outcomes
from yijian.load.analysis.where import Locator, form_fields, matter_path
from yijian.located.diagnostics import Diagnostic
from yijian.rules.engine import CompiledRule, RuleEngine

NEVER = frozenset({False})
ALWAYS = frozenset({True})


class RuleChecks:
    """The rule checks of one matter (or of a bundle's own rules)."""

    def __init__(self, matter: CompiledMatter, engine: RuleEngine, where: Locator) -> None:
        self.matter = matter
        self.engine = engine
        self.where = where
        self.domains: Domains = matter_domains(matter)
        self.derived = derived_sources(matter)
        self.prefix = f"matters/{matter.id}/"

    def can(self, expr: Any) -> frozenset[bool] | None:
        return outcomes(expr, self.engine, self.domains, self.derived)

    def own(self, rule: CompiledRule | None) -> bool:
        """A rule written in this matter's folder (a bundle's members are checked as matters)."""
        return rule is not None and rule.site is not None and rule.site.path.startswith(self.prefix)

    def visibility(self) -> Iterator[Diagnostic]:
        page_never: set[int] = set()
        for i, page in enumerate(self.matter.pages):
            if not self.own(page.visible):
                continue
            assert page.visible is not None
            found = self.can(page.visible.source)
            if found == NEVER:
                page_never.add(i)
            yield from self._constant(page.visible, "page", page.id, found)
        for spec, _loc, i in form_fields(self.matter):
            if i in page_never or not self.own(spec.visible):
                continue
            assert spec.visible is not None
            required = spec.required is True or isinstance(spec.required, CompiledRule)
            page = self.matter.pages[i].visible
            own = self.can(spec.visible.source)
            both = own
            if own != NEVER and page is not None and required:
                both = self.can(conj(page.source, spec.visible.source))
            if required and both == NEVER:
                why = (
                    "its visible_if can never hold"
                    if own == NEVER
                    else ("its visible_if contradicts the visible_if of its page")
                )
                yield self.where.at_rule(
                    spec.visible,
                    f"required field '{spec.key}' can never be shown: {why}",
                    "E-REQUIRED-HIDDEN",
                    "a required question that is never shown is never asked; fix the rule "
                    "(an option spelt differently? a bound?) or remove the field",
                )
            else:
                yield from self._constant(spec.visible, "field", spec.key, own)

    def _constant(
        self, rule: CompiledRule, kind: str, name: str, found: object
    ) -> Iterator[Diagnostic]:
        """E-VISIBLE-CONSTANT for a page's or a field's visible_if that never or always holds."""
        if found == NEVER:
            yield self.where.at_rule(
                rule,
                f"{kind} '{name}' is never shown: its visible_if can never hold",
                "E-VISIBLE-CONSTANT",
                "compare the values in the rule with the options and bounds of the fields "
                f"it reads; remove the {kind} if it is not needed",
            )
        elif found == ALWAYS:
            yield self.where.at_rule(
                rule,
                f"{kind} '{name}' is always shown: its visible_if always holds",
                "E-VISIBLE-CONSTANT",
                "remove visible_if, or compare with a value the fields can really take",
            )

    def eligibility(self) -> Iterator[Diagnostic]:
        """A rule fails only where it applies: it can never pass when it applies somewhere and
        fails wherever it does, and never fail when nowhere it applies can it fail."""
        for e in self.matter.eligibility:
            if not self.own(e.when):
                continue
            applies = e.applies_if.source if e.applies_if is not None else None
            can_apply = self.can(applies) if applies is not None else ALWAYS
            if can_apply is None:
                continue
            if can_apply == NEVER:
                yield self.where.at_rule(
                    e.when,
                    f"eligibility rule {e.id} ({e.name}) can never fail: its applies_if can "
                    "never hold",
                    "E-ELIGIBILITY-CONSTANT",
                    "the rule checks nothing: compare the values in applies_if with the options "
                    "and bounds of the fields it reads, or remove it",
                )
                continue
            if self.can(conj(applies, e.when.source)) == NEVER:
                yield self.where.at_rule(
                    e.when,
                    f"eligibility rule {e.id} ({e.name}) can never pass, whatever the answers",
                    "E-ELIGIBILITY-CONSTANT",
                    "every applicant would be refused: compare the rule's values with the "
                    "options and bounds of the fields it reads",
                )
            elif self.can(conj(applies, {"!": [e.when.source]})) == NEVER:
                yield self.where.at_rule(
                    e.when,
                    f"eligibility rule {e.id} ({e.name}) can never fail, whatever the answers",
                    "E-ELIGIBILITY-CONSTANT",
                    "the rule checks nothing: compare its values with the options and bounds "
                    "of the fields it reads, or remove it",
                )

    def materials(self) -> Iterator[Diagnostic]:
        if self.matter.kind != "matter":
            return  # a bundle's materials are its members', checked with each member
        for k, ms in enumerate(self.matter.materials):
            if ms.material.necessity == Necessity.非必要:
                continue
            sits = [(s, r) for s, r in self.matter.situations if ms.material.id in s.materials]
            cond = ms.condition.source if ms.condition is not None else None
            if sits:
                rules = [r.source for _s, r in sits if r is not None]
                if not rules:
                    found: frozenset[bool] | None = NEVER
                else:
                    found = self.can(conj(cond, {"or": rules} if len(rules) > 1 else rules[0]))
            elif cond is not None:
                found = self.can(cond)
            else:
                continue
            if found == NEVER:
                yield self.where.warn(
                    matter_path(self.matter),
                    ("materials", k),
                    f"material '{ms.material.id}' ({ms.material.name}) is never required: no "
                    "situation can require it",
                    "E-MATERIAL-UNREACHABLE",
                    "check its rule under materials: in rules.yaml and the rules of the "
                    "situations that list it; remove the material if no applicant needs it",
                )

    def all(self) -> Iterator[Diagnostic]:
        yield from self.visibility()
        yield from self.eligibility()
        yield from self.materials()
