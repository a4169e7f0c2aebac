"""Compiling a bundle folder into a servable CompiledMatter (kind "bundle").

Called by the loader after every matter is compiled. Each composition step is a pure function
in its own module (form, materials, plan, savings, inclusion); this module only feeds them
the compiled members, turns their findings into located diagnostics and checks the bundle's
own rules against the merged variables, exactly as a matter's rules are checked.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from typing import Any

from yijian.compiled.matter import CompiledMatter, FieldSpec, PageSpec
from yijian.compose import form as cform
from yijian.compose.inclusion import OPTIONAL_KEY
from yijian.compose.materials import MemberMaterials, merge_materials
from yijian.compose.plan import longest_path
from yijian.compose.savings import compute, member_facts
from yijian.defs.bundle import BundleDef, Inclusion
from yijian.defs.form import FieldDef, FieldType, FormDef, Option
from yijian.load.bundles.checks import Locator, at, check_members
from yijian.load.bundles.parts import BundleParts
from yijian.load.compiler import Library, MatterCompiler, holds_list
from yijian.load.formorder import form_cycles
from yijian.load.rulectx import CONTEXT_KEYS, Scope
from yijian.load.source import FolderSource
from yijian.located.diagnostics import Diagnostic, loc_text

CONFLICT = "E-BUNDLE-KEY-CONFLICT"


def compile_bundle(
    folder: FolderSource,
    compiled: Mapping[str, CompiledMatter | None],
    library: Library,
    engine: Any,
    ids: frozenset[str],
    sources: Mapping[str, FolderSource] | None = None,
) -> tuple[CompiledMatter | None, list[Diagnostic]]:
    """The bundle compiled, or None with the diagnostics saying why.

    ``sources`` (the member folders as read) lets conflict messages quote exact lines.
    """
    out = folder.all_diagnostics()
    b: BundleDef | None = folder.model("bundle.yaml")
    if b is None or any(d.severity == "error" for d in out):
        return None, out
    src = folder.files["bundle.yaml"]
    out += check_members(src, b, compiled, ids, folder.id)
    if any(d.severity == "error" for d in out):
        return None, out
    for i, m in enumerate(b.matters):
        if compiled.get(m.matter) is None:
            out.append(
                at(
                    src,
                    ("matters", i, "matter"),
                    f"member '{m.matter}' has errors; the bundle is built once it checks",
                    "E-BUNDLE-MEMBER",
                    severity="warning",
                )
            )
    if any(compiled.get(m.matter) is None for m in b.matters):
        return None, out
    members = {m.matter: compiled[m.matter] for m in b.matters}
    result = _Composer(
        folder, b, members, library, engine, ids, Locator(folder, compiled, sources), out
    ).run()
    return result, out


class _Composer(BundleParts):
    def __init__(
        self,
        folder: FolderSource,
        b: BundleDef,
        members: dict[str, CompiledMatter],
        library: Library,
        engine: Any,
        ids: frozenset[str],
        locator: Locator,
        out: list[Diagnostic],
    ) -> None:
        super().__init__(folder, b, members, engine, out)
        self.locator = locator
        self.mc = MatterCompiler(folder, library, engine, ids)
        self.mc.out = out  # the bundle's own form/rules report into the same list
        self.params = {**library.parameters}

    def run(self) -> CompiledMatter | None:
        b, members = self.b, self.members
        form: FormDef | None = self.folder.model("form.yaml")
        base = Scope(set(CONTEXT_KEYS))
        raw_pages, own = self.mc.form(form, base) if form is not None else ([], {})
        generated = self._optional_page(own)
        if generated is not None:
            own = {**own, OPTIONAL_KEY: generated.fields[0]}
        mpages = [(mid, m.pages) for mid, m in members.items()]
        merged = cform.merge_fields(mpages, b.prefer, own)
        self._report_fields(merged)
        derived = self._merge_named("derived", {mid: m.derived for mid, m in members.items()})
        for mid, m in members.items():
            self._merge_params(mid, m)
        self.params.update(self.rules.parameters)
        scope = Scope(
            {
                *CONTEXT_KEYS,
                *(f"params.{p}" for p in self.params),
                *merged.winners,
                OPTIONAL_KEY,
                *(k for k, _ in derived),
            }
        )
        scope.list_keys |= {k for k, f in merged.winners.items() if holds_list(f.type)}
        derived += self._questions(scope, own)
        scope = scope.with_keys(k for k, _ in derived)
        own_derived = self.mc.derived(self.rules, scope)
        derived += own_derived
        scope = scope.with_keys(k for k, _ in own_derived)
        # the bundle's own form rules read every derived value, its own too (as a matter's do)
        own_pages = list(self.mc.compile_form_rules(raw_pages, scope)) if form else []
        if form is not None:
            self.out.extend(
                form_cycles(self.folder.files["form.yaml"], raw_pages, own_pages, derived)
            )
        if generated is not None:
            own_pages.append(generated)  # after the questionnaire that may explain the choice
        applicant, on_receipt = (
            self.mc.form_refs(form, merged.winners, derived) if form is not None else (None, ())
        )
        # who applies: the bundle's own form says, else its first member that says
        applicant = applicant or next((m.applicant for m in members.values() if m.applicant), None)
        on_receipt = tuple(
            dict.fromkeys((*on_receipt, *(k for m in members.values() for k in m.on_receipt)))
        )
        short = {mid: m.matter.short_name or m.name for mid, m in members.items()}
        layout = cform.layout_pages(
            own_pages, [(mid, short[mid], m.pages) for mid, m in members.items()], merged
        )
        selection = self._selection(scope)
        eligibility = self._eligibility(scope)
        mats = merge_materials(
            [
                MemberMaterials(mid, m.materials, m.matter.result.licence_type)
                for mid, m in members.items()
            ]
        )
        order = self._order(mats.flows)
        steps = self._plan(order, scope)
        if any(d.severity == "error" for d in self.out) or steps is None:
            return None
        days, path = longest_path(steps)
        self._check_promise(days)
        situations = tuple(
            (
                s.model_copy(
                    update={
                        "id": f"{mid}.{s.id}",
                        "materials": tuple(mats.aliases.get((mid, x), x) for x in s.materials),
                    }
                ),
                r,
            )
            for mid, m in members.items()
            for s, r in m.situations
        )
        gates = self._gates(members)
        facts = tuple(member_facts(m) for m in members.values())
        own_questions = frozenset(k for k, f in own.items() if f.type != FieldType.info)
        savings = compute(facts, own_questions, mats.specs, steps, days)
        extra = {
            "promised_days": days,
            "critical_path": list(path),
            "savings": savings.as_dict(),
            "members": {
                m.matter: {
                    "name": members[m.matter].name,
                    "short_name": short[m.matter],
                    "include": m.include.value,
                    "label": m.label or short[m.matter],
                    "after": list(order.get(m.matter, ())),
                    "version": members[m.matter].version,
                    "gate": gates.get(m.matter),
                    "gate_message": m.requires_message,
                }
                for m in b.matters
            },
            "lead_department": b.lead_department,
            "partial": b.partial,
            "selection": selection,
            "field_matters": layout.field_matters,
            "page_matters": layout.page_matters,
            "material_conditions": mats.conditions,
            "flows": [(f.producer, f.consumer, f.material) for f in mats.flows],
            "member_facts": facts,
            "own_questions": own_questions,
        }
        h = hashlib.sha256(self.folder.digest.encode())
        for mid, m in members.items():
            h.update(f"{mid}@{m.version};".encode())
        return CompiledMatter(
            id=self.folder.id,
            version=h.hexdigest()[:16],
            kind="bundle",
            name=b.name,
            definition=b,
            pages=layout.pages,
            fields=layout.fields,
            derived=tuple(derived),
            eligibility=eligibility,
            materials=mats.specs,
            situations=situations,
            steps=steps,
            parameters=self.params,
            members=tuple(members.values()),
            extra=extra,
            labels={
                **{k: v for m in members.values() for k, v in m.labels.items()},
                **{d.key: d.label for d in self.rules.derived if d.label},
            },
            applicant=applicant,
            on_receipt=on_receipt,
        )

    # -- form -------------------------------------------------------------------------------
    def _optional_page(self, own: Mapping[str, FieldSpec]) -> PageSpec | None:
        """The generated ``bundle.optional`` ticks, unless the bundle form asks it itself."""
        optional = [m for m in self.b.matters if m.include == Inclusion.optional]
        if not optional or OPTIONAL_KEY in own:
            return None
        opts = tuple(
            Option(value=m.matter, label=m.label or self.members[m.matter].name) for m in optional
        )
        d = FieldDef(
            key=OPTIONAL_KEY,
            type=FieldType.checkboxes,
            label="同时办理的可选事项",
            help="勾选后一并办理；不勾选的可以以后单独申请",
            options=opts,
        )
        spec = FieldSpec(
            OPTIONAL_KEY,
            FieldType.checkboxes,
            d.label or "",
            d,
            "bundle-optional",
            options=opts,
            origin=self.folder.id,
        )
        return PageSpec("bundle-optional", "选择可选事项", None, None, (spec,))

    def _report_fields(self, merged: cform.MergedFields) -> None:
        for c in merged.conflicts:
            rel, line, col = self.locator.where(c.first.matter, "form.yaml", c.first.loc)
            other = self.locator.describe(c.second.matter, "form.yaml", c.second.loc)
            self.out.append(
                Diagnostic(
                    rel,
                    line,
                    col,
                    loc_text(c.first.loc),
                    f"key '{c.key}' is defined differently by '{c.first.matter}' (here) and "
                    f"'{c.second.matter}' ({other}): {', '.join(c.differences)} differ",
                    CONFLICT,
                    f"make both definitions the same, or add `prefer: {{{c.key}: "
                    f"<matter>}}` to {self.src.rel}",
                )
            )
        for key in merged.unused_prefer:
            self.out.append(
                at(
                    self.src,
                    ("prefer", key),
                    f"'{self.b.prefer[key]}' does not ask '{key}', so it cannot win it",
                    "E-BUNDLE-MEMBER",
                    "name a member whose form.yaml has this key",
                )
            )

    def _merge_named(self, what: str, by_member: Mapping[str, Any]) -> list[tuple[str, Any]]:
        """Members' derived values by key; the same key computed two ways is a conflict."""
        seen: dict[str, tuple[str, int, Any]] = {}
        own = {d.key for d in self.rules.derived}  # the bundle's own definition settles it
        out: list[tuple[str, Any]] = []
        for mid, items in by_member.items():
            for i, (key, rule) in enumerate(items):
                if key not in seen:
                    seen[key] = (mid, i, rule)
                    out.append((key, rule))
                elif seen[key][2].source != rule.source and key not in own:
                    fmid, fi, _ = seen[key]
                    self._conflict(
                        key,
                        (fmid, "rules.yaml", (what, fi, "rule")),
                        (mid, "rules.yaml", (what, i, "rule")),
                        "rule",
                    )
        return out

    def _merge_params(self, mid: str, m: CompiledMatter) -> None:
        for name, p in m.parameters.items():
            first = self.params.get(name)
            if name in self.rules.parameters or first is None:
                self.params.setdefault(name, p)
                continue
            if first != p:
                owner = next(
                    o for o, mm in self.members.items() if mm.parameters.get(name) == first
                )
                self._conflict(
                    f"params.{name}",
                    (owner, "rules.yaml", ("parameters", name)),
                    (mid, "rules.yaml", ("parameters", name)),
                    "values",
                )

    def _conflict(
        self,
        key: str,
        a: tuple[str, str, tuple[Any, ...]],
        b: tuple[str, str, tuple[Any, ...]],
        what: str,
    ) -> None:
        rel, line, col = self.locator.where(*a)
        self.out.append(
            Diagnostic(
                rel,
                line,
                col,
                loc_text(a[2]),
                f"'{key}' is defined differently by '{a[0]}' (here) and '{b[0]}' "
                f"({self.locator.describe(*b)}): {what} differ",
                CONFLICT,
                f"make both the same, or define '{key}' once in the bundle's rules.yaml",
            )
        )
