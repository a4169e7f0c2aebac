"""Compiling a matter folder: resolve library fields, compile every rule, check references.

Pure given its inputs (the folder's parsed files, the field library, the engine, the shared
parameters); the registry calls it for each changed folder. Problems are collected, never
raised, so one run reports every error of every file.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from yijian.compiled.matter import (
    CompiledMatter,
    EligibilitySpec,
    FieldSpec,
    MaterialSpec,
    PageSpec,
    StepSpec,
)
from yijian.defs.fieldtype import field_type
from yijian.defs.form import FieldDef, FormDef
from yijian.defs.matter import MatterDef
from yijian.defs.routing import RoutingDef
from yijian.defs.rules import Parameter, RulesDef
from yijian.load.checks import check_matter, check_promise, check_routing, unknown_ref
from yijian.load.commitchecks import check_commitments
from yijian.load.formorder import form_cycles
from yijian.load.rulectx import CONTEXT_KEYS, RuleCompiler, Scope
from yijian.load.source import FolderSource, SourceFile
from yijian.located.diagnostics import Diagnostic, did_you_mean, known_list, loc_text
from yijian.located.yamlsrc import locate
from yijian.rules.engine import CompiledRule, RuleEngine


def holds_list(type_name: object) -> bool:
    """Rules read a field of this type as a list (repeat, checkboxes, file; a plugin says)."""
    return field_type(type_name).value_type == "list"


@dataclass(frozen=True)
class Library:
    """The field library (forms/) and shared parameters (rules/params/)."""

    fields: Mapping[str, tuple[FieldDef, str]]  # "person.id_number" → (definition, file rel)
    parameters: Mapping[str, Parameter]
    #: ``use:`` fields already merged and validated during this build, by library field and
    #: plain overrides (see :func:`resolve_field`); a library is built anew for every build.
    resolved: dict[tuple[Any, ...], FieldDef] = field(
        default_factory=dict, compare=False, repr=False
    )
    #: library fields dumped once, for merging with overrides
    dumped: dict[str, dict[str, Any]] = field(default_factory=dict, compare=False, repr=False)


#: Override values compared exactly in a cache key (with their type: ``True`` is not ``1``).
_PLAIN = (str, bool, int, float)
#: Where every library field is listed (a hint's list is cut at ten).
LIBRARY_DOC = "docs/reference/library.md (national) and the root's forms/"
REF = "E-REF-FIELD"


def _overrides_key(f: FieldDef) -> tuple[Any, ...] | None:
    """A hashable key of what a ``use:`` field sets, or None when it sets anything but plain
    scalars (rules, options, children…), which are merged the long way every time."""
    items = []
    for name in sorted(f.model_fields_set):
        value = getattr(f, name)
        if value is not None and not isinstance(value, _PLAIN):
            return None
        items.append((name, type(value), value))
    return (f.use, tuple(items))


def _merge_use(f: FieldDef, entry: tuple[FieldDef, str], lib: Library) -> FieldDef:
    """The library field with ``f``'s overrides, validated (may raise ValidationError).

    The library field is dumped once per build, not once per ``use:``.
    """
    assert f.use is not None
    base = lib.dumped.get(f.use)
    if base is None:
        base = lib.dumped[f.use] = entry[0].model_dump(exclude_unset=True, by_alias=True)
    merged = {**base, **f.model_dump(exclude_unset=True, by_alias=True)}
    merged.pop("use", None)
    merged.setdefault("key", f.use)
    return FieldDef.model_validate(merged)


def resolve_field(
    f: FieldDef, lib: Library, src: SourceFile, loc: tuple[str | int, ...], out: list[Diagnostic]
) -> FieldDef | None:
    """A field with its `use:` filled in from the library (overrides win), children resolved.

    Catalogs ``use:`` the same few library fields with the same overrides (``key``, ``label``,
    ``required``) in thousands of matters; merging and validating each was the largest item of
    compiling a matter. A successful merge whose overrides are plain scalars is therefore kept
    on the library and shared (a FieldDef is immutable); failures are never cached, so every
    one is reported where it occurs.
    """
    if f.use is not None:
        entry = lib.fields.get(f.use)
        if entry is None:
            line, col = locate(src.text, (*loc, "use"))
            out.append(
                Diagnostic(
                    src.rel,
                    line,
                    col,
                    loc_text((*loc, "use")),
                    f"unknown library field '{f.use}'{did_you_mean(f.use, lib.fields)}",
                    "E-FORM-USE",
                    f"library fields: {known_list(lib.fields, 10, f.use, LIBRARY_DOC)}",
                )
            )
            return None
        key = _overrides_key(f)
        done = lib.resolved.get(key) if key is not None else None
        if done is not None:
            f = done
        else:
            try:
                merged = _merge_use(f, entry, lib)
            except ValidationError as exc:
                line, col = locate(src.text, loc)
                for err in exc.errors(include_url=False):
                    code = err["type"] if err["type"].startswith("E-") else "E-FIELD-INCOMPLETE"
                    out.append(
                        Diagnostic(src.rel, line, col, loc_text(loc), err["msg"], code, None)
                    )
                return None
            if key is not None:
                lib.resolved[key] = merged
            f = merged
    if f.fields:
        kids = [
            resolve_field(c, lib, src, (*loc, "fields", i), out) for i, c in enumerate(f.fields)
        ]
        if any(k is None for k in kids):
            return None
        f = f.model_copy(update={"fields": tuple(kids)})
    return f


@dataclass
class MatterCompiler:
    folder: FolderSource
    lib: Library
    engine: RuleEngine
    matter_ids: frozenset[str]

    def __post_init__(self) -> None:
        self.out: list[Diagnostic] = []
        #: the compiled matter's version; the folder's digest unless the build sets one that
        #: also names the engine and library files used (:func:`yijian.load.build`)
        self.version: str = self.folder.digest

    def rules_for(self, name: str) -> RuleCompiler:
        return RuleCompiler(self.engine, self.folder.files[name], self.out)

    def run(self) -> tuple[CompiledMatter | None, list[Diagnostic]]:
        self.out.extend(self.folder.all_diagnostics())
        matter: MatterDef | None = self.folder.model("matter.yaml")
        form: FormDef | None = self.folder.model("form.yaml")
        rules: RulesDef = self.folder.model("rules.yaml") or RulesDef()
        routing: RoutingDef | None = self.folder.model("routing.yaml")
        for name in ("form.yaml", "routing.yaml"):
            if name not in self.folder.files:
                self.out.append(
                    Diagnostic(
                        f"{self.folder.rel}/{name}",
                        0,
                        0,
                        "",
                        f"missing {name}",
                        "E-FILE-MISSING",
                        f"a matter folder needs {name}",
                    )
                )
        if matter is None or form is None or routing is None or self.out:
            return None, self.out
        check_matter(self.folder, matter, rules, self.matter_ids, self.out)
        check_commitments(self.folder, matter, rules, self.out)
        check_routing(self.folder.files["routing.yaml"], routing, self.out)
        params = {**self.lib.parameters, **rules.parameters}
        base = Scope({*CONTEXT_KEYS, *(f"params.{p}" for p in params)})
        raw_pages, fields = self.form(form, base)
        scope = base.with_keys(fields)
        scope.list_keys |= {k for k, s in fields.items() if holds_list(s.type)}
        derived = self.derived(rules, scope)
        scope = scope.with_keys(k for k, _ in derived)
        # form rules read derived values too (computed from the answers before visibility)
        pages = self.compile_form_rules(raw_pages, scope)
        self.out.extend(form_cycles(self.folder.files["form.yaml"], raw_pages, pages, derived))
        rc = self.rules_for("rules.yaml") if "rules.yaml" in self.folder.files else None
        elig, mats, sits = self._rules(matter, rules, rc, scope)
        steps = self._steps(matter, routing, scope)
        if not any(d.severity == "error" for d in self.out):  # a plan with a cycle has no length
            check_promise(self.folder, matter, steps, self.out)
        self._result_fields(matter, routing, fields)
        applicant, on_receipt = self.form_refs(form, fields, derived)
        if any(d.severity == "error" for d in self.out):
            return None, self.out
        compiled = CompiledMatter(
            id=self.folder.id,
            version=self.version,
            kind="matter",
            name=matter.name,
            definition=matter,
            pages=pages,
            fields=fields,
            derived=tuple(derived),
            eligibility=elig,
            materials=mats,
            situations=sits,
            steps=steps,
            parameters=params,
            labels={d.key: d.label for d in rules.derived if d.label},
            applicant=applicant,
            on_receipt=on_receipt,
        )
        return compiled, self.out

    def form_refs(
        self, form: FormDef, fields: Mapping[str, Any], derived: Sequence[tuple[str, Any]]
    ) -> tuple[tuple[str, str | None] | None, tuple[str, ...]]:
        """form.yaml ``applicant`` (answer or derived keys) and ``on_receipt`` (answer keys),
        each checked to name a field or derived value of this form (E-REF-FIELD)."""
        src = self.folder.files["form.yaml"]
        answers = set(fields)
        known = answers | {k for k, _ in derived}
        applicant = None
        if form.applicant is not None:
            a = form.applicant
            for name, key in (("name", a.name), ("id_number", a.id_number)):
                if key is not None and key not in known:
                    loc = ("applicant", name)
                    self.out.append(unknown_ref(src, loc, "field", key, sorted(known), REF))
            applicant = (a.name, a.id_number)
        for i, key in enumerate(form.on_receipt):
            if key not in answers:
                loc = ("on_receipt", i)
                self.out.append(unknown_ref(src, loc, "field", key, sorted(answers), REF))
        return applicant, tuple(form.on_receipt)

    # -- form ---------------------------------------------------------------------------
    def form(
        self, form: FormDef, scope: Scope
    ) -> tuple[list[tuple[Any, ...]], dict[str, FieldSpec]]:
        """Resolve the form's fields (library ``use:``, duplicates reported).

        Returns the pages with their resolved fields and locations (for
        :meth:`compile_form_rules`, once the scope of every variable is known) and the fields
        by key. Public because a bundle (:mod:`yijian.load.bundles.build`) compiles its own form
        the same way before merging its members'. ``scope`` is unused: the fields' rules are
        compiled later, against the complete scope.
        """
        src = self.folder.files["form.yaml"]
        raw_pages: list[tuple[Any, ...]] = []
        fields: dict[str, FieldSpec] = {}
        seen: dict[str, tuple[str | int, ...]] = {}
        for pi, page in enumerate(form.pages):
            resolved = []
            for fi, f in enumerate(page.fields):
                loc = ("pages", pi, "fields", fi)
                r = resolve_field(f, self.lib, src, loc, self.out)
                if r is None:
                    continue
                if r.key and r.key in seen:
                    line, col = locate(src.text, loc)
                    self.out.append(
                        Diagnostic(
                            src.rel,
                            line,
                            col,
                            loc_text(loc),
                            f"key '{r.key}' is asked twice (first at {loc_text(seen[r.key])})",
                            "E-FIELD-DUPLICATE",
                            "one question per key; remove one",
                        )
                    )
                    continue
                if r.key:
                    seen[r.key] = loc
                resolved.append((r, loc))
            raw_pages.append((page, resolved))
        for page, resolved in raw_pages:
            for r, _ in resolved:
                if r.key:
                    fields[r.key] = FieldSpec(
                        r.key,
                        r.type,
                        r.label or "",
                        r,
                        page.id,
                        options=r.options,
                        origin=self.folder.id,
                    )
        return raw_pages, fields

    def _field_spec(
        self, r: FieldDef, loc: tuple[str | int, ...], page: str, rc: RuleCompiler, scope: Scope
    ) -> FieldSpec:
        visible = (
            rc.compile(r.visible_if, (*loc, "visible_if"), scope)
            if r.visible_if is not None
            else None
        )
        required: bool | CompiledRule = (
            bool(r.required)
            if not isinstance(r.required, dict)
            else (rc.compile(r.required, (*loc, "required"), scope) or False)
        )
        vals = []
        for vi, v in enumerate(r.validations):
            c = rc.compile(v.rule, (*loc, "validations", vi, "rule"), scope)
            if c is not None:
                vals.append((c, v.message))
            rc.check_message(v.message, (*loc, "validations", vi, "message"), scope)
        children = ()
        if field_type(r.type).rows:
            row_scope = scope.with_keys(f"row.{c.key}" for c in r.fields if c.key)
            children = tuple(
                self._field_spec(c, (*loc, "fields", ci), page, rc, row_scope)
                for ci, c in enumerate(r.fields)
            )
        return FieldSpec(
            r.key or "",
            r.type,
            r.label or "",
            r,
            page,
            required,
            visible,
            tuple(vals),
            r.options,
            children,
            self.folder.id,
        )

    def compile_form_rules(
        self, raw_pages: list[tuple[Any, ...]], scope: Scope
    ) -> tuple[PageSpec, ...]:
        """Compile the page and field rules of :meth:`form`'s pages against ``scope`` (every
        field, derived value and parameter a rule may read). Public for bundles, whose scope is
        the merge of their members'."""
        rc = self.rules_for("form.yaml")
        pages = []
        for pi, (page, resolved) in enumerate(raw_pages):
            vis = (
                rc.compile(page.visible_if, ("pages", pi, "visible_if"), scope)
                if page.visible_if is not None
                else None
            )
            specs = tuple(self._field_spec(r, loc, page.id, rc, scope) for r, loc in resolved)
            pages.append(PageSpec(page.id, page.title, page.intro, vis, specs))
        return tuple(pages)

    # -- rules ----------------------------------------------------------------------------
    def derived(self, rules: RulesDef, scope: Scope) -> list[tuple[str, CompiledRule]]:
        """Compile rules.yaml's derived values in order; each may read the ones before it.
        Public for bundles, which add their own derived values to their members'."""
        if "rules.yaml" not in self.folder.files:
            return []
        rc = self.rules_for("rules.yaml")
        out = []
        for i, d in enumerate(rules.derived):
            c = rc.compile(d.rule, ("derived", i, "rule"), scope)
            scope = scope.with_keys([d.key])  # later derived values may read earlier ones
            if c is not None:
                out.append((d.key, c))
        return out

    def _rules(self, matter: MatterDef, rules: RulesDef, rc: RuleCompiler | None, scope: Scope):
        elig = []
        conds: dict[str, CompiledRule | None] = {}
        sit_rules: dict[str, CompiledRule | None] = {}
        if rc is not None:
            for i, e in enumerate(rules.eligibility):
                when = rc.compile(e.when, ("eligibility", i, "when"), scope)
                applies = (
                    rc.compile(e.applies_if, ("eligibility", i, "applies_if"), scope)
                    if e.applies_if is not None
                    else None
                )
                rc.check_message(e.message, ("eligibility", i, "message"), scope)
                if when is not None:
                    elig.append(
                        EligibilitySpec(e.id, e.name, when, e.message, e.effect == "block", applies)
                    )
            conds = {m: rc.compile(r, ("materials", m), scope) for m, r in rules.materials.items()}
            sit_rules = {
                s: rc.compile(r, ("situations", s), scope) for s, r in rules.situations.items()
            }
        mats = tuple(MaterialSpec(m, conds.get(m.id)) for m in matter.materials)
        sits = tuple((s, sit_rules.get(s.id)) for s in matter.situations)
        return tuple(elig), mats, sits

    def _result_fields(self, matter: MatterDef, routing: RoutingDef, fields: Any) -> None:
        """``result.fields`` name answers of this form or facts of this routing (E-REF-FIELD)."""
        if matter.result is None:
            return
        known = set(fields) | {f"facts.{f.key}" for s in routing.steps for f in s.fields}
        for i, key in enumerate(matter.result.fields):
            if key not in known:
                loc = ("result", "fields", i)
                src = self.folder.files["matter.yaml"]
                self.out.append(unknown_ref(src, loc, "field", key, sorted(known), "E-REF-FIELD"))

    def _steps(self, matter: MatterDef, routing: RoutingDef, scope: Scope) -> tuple[StepSpec, ...]:
        rc = self.rules_for("routing.yaml")
        # a step's condition may read the facts reviewers enter at any step (facts.<key>)
        scope = scope.with_keys(f"facts.{f.key}" for s in routing.steps for f in s.fields)
        return tuple(
            StepSpec(
                s,
                rc.compile(s.when, ("steps", i, "when"), scope) if s.when is not None else None,
                s.department or matter.department.name,
            )
            for i, s in enumerate(routing.steps)
        )
