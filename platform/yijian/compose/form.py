"""One form from several matters: fields merged by key, conflicts found, pages laid out.

The same key is the same question, asked once (一表申请). Two matters may only share a key if
they mean the same thing by it, so every aspect that changes what a valid answer is (type,
options, validations, limits, required) is compared; labels and help are presentation and the
first definition's win. Where definitions differ the bundle must say which wins (``prefer``),
otherwise it is a check error naming both places.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from yijian.compiled.matter import FieldSpec, PageSpec
from yijian.defs.form import FieldType

#: Field types that only close a form (承诺) or inform; pages made only of them come last.
CLOSING_TYPES = frozenset({FieldType.declaration, FieldType.info})


@dataclass(frozen=True)
class Definer:
    """One member's definition of a key, with where it sits in that member's form.yaml."""

    matter: str
    spec: FieldSpec
    page_index: int
    field_index: int

    @property
    def loc(self) -> tuple[str | int, ...]:
        return ("pages", self.page_index, "fields", self.field_index)


@dataclass(frozen=True)
class KeyConflict:
    key: str
    first: Definer
    second: Definer
    differences: tuple[str, ...]


@dataclass(frozen=True)
class MergedFields:
    winners: Mapping[str, FieldSpec]  # key → the definition the bundle uses
    definers: Mapping[str, tuple[Definer, ...]]  # key → every member definition, bundle order
    conflicts: tuple[KeyConflict, ...]
    unused_prefer: tuple[str, ...]  # prefer keys whose matter does not define the key


def _json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)


def signature(f: FieldSpec) -> dict[str, str]:
    """What a valid answer is, per aspect; two definitions agree when these are equal."""
    d = f.definition
    return {
        "type": str(f.type),
        "options": _json([o.value for o in f.options]),
        "validations": _json([v.rule for v in d.validations]),
        "limits": _json(
            [d.min, d.max, d.min_length, d.max_length, d.region_level, getattr(d, "charset", None)]
        ),
        "required": _json(d.required or False),
        "rows": _json([signature(c) for c in f.children]),
    }


def differences(a: FieldSpec, b: FieldSpec) -> tuple[str, ...]:
    """The aspects in which two definitions of one key differ (empty: the same question)."""
    sa, sb = signature(a), signature(b)
    return tuple(k for k in sa if sa[k] != sb[k])


def collect_definers(members: Sequence[tuple[str, Sequence[PageSpec]]]) -> dict[str, list[Definer]]:
    """Every answer key of the members, with each member's definition, in bundle order."""
    out: dict[str, list[Definer]] = {}
    for mid, pages in members:
        for pi, page in enumerate(pages):
            for fi, f in enumerate(page.fields):
                if f.key:
                    out.setdefault(f.key, []).append(Definer(mid, f, pi, fi))
    return out


def merge_fields(
    members: Sequence[tuple[str, Sequence[PageSpec]]],
    prefer: Mapping[str, str],
    own: Mapping[str, FieldSpec] | None = None,
) -> MergedFields:
    """Merge the members' fields by key.

    ``own`` are the bundle form's fields: the bundle asking a key itself is the bundle saying
    which definition wins, so those keys are not compared. ``prefer`` picks a member's
    definition for a key; without it every definition must agree with the first.
    """
    own = own or {}
    definers = collect_definers(members)
    winners: dict[str, FieldSpec] = dict(own)
    conflicts: list[KeyConflict] = []
    unused = [k for k, mid in prefer.items() if all(d.matter != mid for d in definers.get(k, ()))]
    for key, defs in definers.items():
        if key in own:
            continue
        chosen = next((d for d in defs if d.matter == prefer.get(key)), defs[0])
        winners[key] = chosen.spec
        if key in prefer and key not in unused:
            continue
        for other in defs[1:]:
            diff = differences(defs[0].spec, other.spec)
            if diff:
                conflicts.append(KeyConflict(key, defs[0], other, diff))
    frozen = {k: tuple(v) for k, v in definers.items()}
    return MergedFields(winners, frozen, tuple(conflicts), tuple(unused))


@dataclass(frozen=True)
class Layout:
    pages: tuple[PageSpec, ...]
    fields: Mapping[str, FieldSpec]  # every answer key → its spec (page updated)
    field_matters: Mapping[str, tuple[str, ...]]  # key → members asking it (() = bundle's own)
    page_matters: Mapping[str, tuple[str, ...]]  # shared page → members asking its fields


def _closing(page: PageSpec) -> bool:
    return all(f.type in CLOSING_TYPES for f in page.fields)


def layout_pages(
    own_pages: Sequence[PageSpec],
    members: Sequence[tuple[str, str, Sequence[PageSpec]]],
    merged: MergedFields,
) -> Layout:
    """Pages in the order a citizen fills them.

    1. the bundle's own pages (questionnaire, optional-matter ticks);
    2. shared pages: keys asked by several members, grouped under the page of the first
       member that asks them (identity of child, parents, contact);
    3. each member's remaining fields on its own pages (``PageSpec.matter`` set), titled with
       the member's name, shown only while that member is selected;
    4. pages made only of declarations and notices (承诺) close the form.
    ``members`` holds (matter id, short name, compiled pages) in bundle order.
    """
    own_keys = {f.key for p in own_pages for f in p.fields if f.key}
    shared = {k for k, ds in merged.definers.items() if len({d.matter for d in ds}) > 1}
    fields: dict[str, FieldSpec] = {f.key: f for p in own_pages for f in p.fields if f.key}
    field_matters: dict[str, tuple[str, ...]] = {k: () for k in own_keys}
    shared_pages: dict[str, tuple[PageSpec, list[FieldSpec]]] = {}
    member_pages: list[PageSpec] = []
    placed: set[str] = set(own_keys)
    for mid, short, pages in members:
        for page in pages:
            mine: list[FieldSpec] = []
            for f in page.fields:
                if f.key and f.key in placed:
                    continue  # asked already (by the bundle, or shared and placed)
                if f.key in shared:
                    pid = f"shared-{page.id}"
                    _, group = shared_pages.setdefault(pid, (page, []))
                    spec = dataclasses.replace(merged.winners[f.key], page=pid)
                    group.append(spec)
                    fields[f.key] = spec
                    placed.add(f.key)
                    continue
                pid = f"{mid}.{page.id}"
                spec = dataclasses.replace(merged.winners.get(f.key, f) if f.key else f, page=pid)
                mine.append(spec)
                if f.key:
                    fields[f.key] = spec
                    placed.add(f.key)
            if mine:
                member_pages.append(
                    PageSpec(
                        f"{mid}.{page.id}",
                        f"{page.title}（{short}）",
                        page.intro,
                        page.visible,
                        tuple(mine),
                        matter=mid,
                    )
                )
    for key, defs in merged.definers.items():
        if key not in own_keys:
            field_matters[key] = tuple(dict.fromkeys(d.matter for d in defs))
    shared_specs = []
    page_matters: dict[str, tuple[str, ...]] = {}
    for pid, (base, group) in shared_pages.items():
        shared_specs.append(PageSpec(pid, base.title, base.intro, None, tuple(group)))
        page_matters[pid] = tuple(dict.fromkeys(m for f in group for m in field_matters[f.key]))
    body = [*own_pages, *shared_specs, *member_pages]
    ordered = [p for p in body if not _closing(p)] + [p for p in body if _closing(p)]
    return Layout(tuple(ordered), fields, field_matters, page_matters)
