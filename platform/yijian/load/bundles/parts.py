"""The bundle's own rules and the joint plan, compiled with located diagnostics.

The impure edge of composition: the pure functions of :mod:`inclusion` and :mod:`plan` decide,
this base class of the bundle compiler turns their inputs into compiled rules and their
findings (unknown variables, cycles, a promise the plan cannot keep) into diagnostics with
file and line.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from yijian.compiled.matter import CompiledMatter, EligibilitySpec, FieldSpec, StepSpec
from yijian.compose.inclusion import exclusive_rule, selection_rule
from yijian.compose.plan import graph, join_routings
from yijian.defs.bundle import BundleDef, Inclusion
from yijian.defs.rules import RulesDef
from yijian.load.bundles.checks import at
from yijian.load.checks import find_cycle
from yijian.load.rulectx import RuleCompiler, Scope
from yijian.load.source import FolderSource
from yijian.located.diagnostics import Diagnostic


class BundleParts:
    """State shared by the bundle compiler's steps: the folder, its members, the diagnostics."""

    def __init__(
        self,
        folder: FolderSource,
        b: BundleDef,
        members: dict[str, CompiledMatter],
        engine: Any,
        out: list[Diagnostic],
    ) -> None:
        self.folder, self.b, self.members, self.engine, self.out = folder, b, members, engine, out
        self.rules: RulesDef = folder.model("rules.yaml") or RulesDef()
        self.src = folder.files["bundle.yaml"]
        #: the members wait for each other in a cycle (set by ``_order``, read by ``_plan``)
        self.order_cycle = False

    # -- rules --------------------------------------------------------------------------------
    def _rc(self, name: str) -> RuleCompiler:
        return RuleCompiler(self.engine, self.folder.files[name], self.out)

    def _gates(self, members: Mapping[str, CompiledMatter]) -> dict[str, Any]:
        """Each member's ``requires_facts``, compiled over the facts staff enter in the
        members' steps (``routing.yaml`` ``fields:``): an unknown fact is E-RULE-VAR here."""
        facts = {f"facts.{f.key}" for m in members.values() for s in m.steps for f in s.step.fields}
        rc = self._rc("bundle.yaml")
        gates = {}
        for i, m in enumerate(self.b.matters):
            if m.requires_facts is not None:
                loc = ("matters", i, "requires_facts")
                gates[m.matter] = rc.compile(m.requires_facts, loc, Scope(facts))
        return gates

    def _questions(self, scope: Scope, own: Mapping[str, FieldSpec]) -> list[tuple[str, Any]]:
        """情形引导: each question's ``sets`` are derived values read by rules like any key."""
        out: list[tuple[str, Any]] = []
        rc = self._rc("bundle.yaml")
        for qi, q in enumerate(self.b.questions):
            if q.key not in scope.keys:
                self.out.append(
                    at(
                        self.src,
                        ("questions", qi, "key"),
                        f"unknown variable '{q.key}': a question must be a field of the form",
                        "E-RULE-VAR",
                        "add the question to the bundle's form.yaml",
                    )
                )
            for key, rule in q.sets.items():
                c = rc.compile(rule, ("questions", qi, "sets", key), scope)
                scope = scope.with_keys([key])
                if c is not None:
                    out.append((key, c))
        return out

    def _selection(self, scope: Scope) -> tuple[tuple[str, str, Any], ...]:
        rc = self._rc("bundle.yaml")
        out = []
        for i, m in enumerate(self.b.matters):
            if m.include == Inclusion.rule:
                rule = rc.compile(m.when, ("matters", i, "when"), scope)
            else:
                rule = self.engine.compile(selection_rule(m))
            out.append((m.matter, m.include.value, rule))
        return tuple(out)

    def _eligibility(self, scope: Scope) -> tuple[EligibilitySpec, ...]:
        out: list[EligibilitySpec] = []
        if "rules.yaml" in self.folder.files:
            rc = self._rc("rules.yaml")
            rsrc = self.folder.files["rules.yaml"]
            for field in ("materials", "situations"):
                if getattr(self.rules, field):
                    self.out.append(
                        at(
                            rsrc,
                            (field,),
                            f"a bundle's rules.yaml has no `{field}`: "
                            "they belong to the member matters",
                            "E-KEY-UNKNOWN",
                        )
                    )
            for i, e in enumerate(self.rules.eligibility):
                when = rc.compile(e.when, ("eligibility", i, "when"), scope)
                applies = (
                    rc.compile(e.applies_if, ("eligibility", i, "applies_if"), scope)
                    if e.applies_if is not None
                    else None
                )
                if when is not None:
                    out.append(
                        EligibilitySpec(e.id, e.name, when, e.message, e.effect == "block", applies)
                    )
        by_id = {m.matter: m for m in self.b.matters}
        for g in self.b.exclusive:
            names = "、".join(self.members[x].name for x in g.matters)
            try:  # a member `when` that failed its check is reported already
                rule = self.engine.compile(exclusive_rule(g, by_id))
            except ValueError:
                continue
            out.append(
                EligibilitySpec(
                    f"exclusive-{g.id}", g.name, rule, f"{g.name}：{names}只能选择其中一项", True
                )
            )
        for mid, m in self.members.items():
            out.extend(
                EligibilitySpec(
                    f"{mid}.{e.id}", e.name, e.when, e.message, e.block, e.applies_if, mid
                )
                for e in m.eligibility
            )
        return tuple(out)

    # -- plan ---------------------------------------------------------------------------------
    def _order(self, flows: Any) -> dict[str, tuple[str, ...]]:
        """member → members it waits for: `after:` in bundle.yaml plus material flows."""
        order: dict[str, list[str]] = {m.matter: list(m.after) for m in self.b.matters}
        for f in flows:
            if f.producer not in order[f.consumer]:
                order[f.consumer].append(f.producer)
        cycle = find_cycle({k: v for k, v in order.items()})
        self.order_cycle = bool(cycle)  # the joined plan's cycle then follows: not reported again
        if cycle:
            i = next(i for i, m in enumerate(self.b.matters) if m.matter == cycle[0])
            why = [
                f"'{f.consumer}' needs '{f.material}' from '{f.producer}'"
                for f in flows
                if f.consumer in cycle and f.producer in cycle
            ]
            self.out.append(
                at(
                    self.src,
                    ("matters", i, "after")
                    if self.b.matters[i].after
                    else ("matters", i, "matter"),
                    "member matters wait for each other in a cycle: "
                    + " → ".join(cycle)
                    + (f" ({'; '.join(why)})" if why else ""),
                    "E-BUNDLE-CYCLE",
                    "remove one of the `after:` links",
                )
            )
        return {k: tuple(v) for k, v in order.items()}

    def _plan(self, order: Mapping[str, tuple[str, ...]], scope: Scope) -> tuple[StepSpec, ...]:
        own: list[StepSpec] = []
        routing = self.folder.model("routing.yaml")
        if routing is not None:
            rc = self._rc("routing.yaml")
            rsrc = self.folder.files["routing.yaml"]
            known = {s.id for s in routing.steps} | set(self.members)
            for i, s in enumerate(routing.steps):
                for ai, ref in enumerate(s.after):
                    if ref not in known:
                        self.out.append(
                            at(
                                rsrc,
                                ("steps", i, "after", ai),
                                f"unknown step or member '{ref}'",
                                "E-REF-STEP",
                                "name a step of this routing or a member matter",
                            )
                        )
                when = rc.compile(s.when, ("steps", i, "when"), scope) if s.when else None
                own.append(StepSpec(s, when, s.department or self.b.lead_department))
        members = [(mid, m.steps) for mid, m in self.members.items()]
        steps, _ = join_routings(members, own, order)
        cycle = find_cycle(graph(steps))
        # one cause, one error: a cycle among the members (`after:`, material flows) is already
        # reported at bundle.yaml, and every joined plan over it has a cycle too
        if cycle and routing is not None and not self.order_cycle:
            self.out.append(
                at(
                    self.folder.files["routing.yaml"],
                    ("steps",),
                    "the joined plan has a cycle: " + " → ".join(cycle),
                    "E-BUNDLE-CYCLE",
                    "a bundle step waits for a member that waits for it",
                )
            )
        return steps

    def _check_promise(self, days: int) -> None:
        p = self.b.promised_days
        if p is None or p == days:
            return
        loc = ("promised_days",)
        if p < days:
            self.out.append(
                at(
                    self.src,
                    loc,
                    f"promised_days {p} is shorter than the plan's "
                    f"longest path of {days} working days",
                    "E-BUNDLE-PROMISE",
                    "shorten the members' step limits, or promise what the plan takes",
                )
            )
        else:
            self.out.append(
                at(
                    self.src,
                    loc,
                    f"promised_days {p} is longer than the plan's "
                    f"{days} working days; the clock uses the plan ({days})",
                    "E-BUNDLE-PROMISE",
                    f"write promised_days: {days}, or leave it out",
                    severity="warning",
                )
            )
