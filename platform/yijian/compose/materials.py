"""One set of materials (一套材料) from several matters, and what passes from one to the next.

Materials merge by id, the stable name counties share (``mother_id_card``), or else by the
e-licence type that replaces them (营业执照 listed as ``business_licence`` by one matter and
``licence`` by another). A licence type merges only when it is unambiguous inside each
member: 母亲 and 父亲 居民身份证 are two materials of one licence type and must stay two.

A material that another member produces (its ``result.licence_type``, or ``source:
前序事项产出`` with ``produced_by``) is passed along (``MaterialSpec.passed_from``), never
asked of the citizen, and makes the consumer wait for the producer in the plan.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from yijian.compiled.matter import MaterialSpec
from yijian.defs.matter import Necessity, Source
from yijian.rules.engine import CompiledRule

_RANK = {Necessity.非必要: 0, Necessity.容缺后补: 1, Necessity.必要: 2}


@dataclass(frozen=True)
class MemberMaterials:
    matter: str
    materials: Sequence[MaterialSpec]
    produces: str | None = None  # the e-licence type of the member's result


@dataclass(frozen=True)
class Flow:
    """``consumer`` receives ``material`` from ``producer``: the producer goes first."""

    producer: str
    consumer: str
    material: str


@dataclass(frozen=True)
class MergedMaterials:
    specs: tuple[MaterialSpec, ...]
    #: material id → (member, condition) for every member that needs it (necessity not 非必要)
    conditions: Mapping[str, tuple[tuple[str, CompiledRule | None], ...]]
    aliases: Mapping[tuple[str, str], str]  # (member, its material id) → merged id
    flows: tuple[Flow, ...]


def merge_materials(members: Sequence[MemberMaterials]) -> MergedMaterials:
    """Merge the members' materials; see the module docstring for the rules."""
    order: list[str] = []
    first: dict[str, MaterialSpec] = {}
    askers: dict[str, list[str]] = {}
    needs: dict[str, list[tuple[str, CompiledRule | None]]] = {}
    necessity: dict[str, Necessity] = {}
    by_licence: dict[str, str] = {}
    aliases: dict[tuple[str, str], str] = {}
    for mm in members:
        counts = Counter(ms.material.licence_type for ms in mm.materials)
        for ms in mm.materials:
            mat = ms.material
            lt = mat.licence_type if mat.licence_type and counts[mat.licence_type] == 1 else None
            target = mat.id if mat.id in first else by_licence.get(lt or "", mat.id)
            if target not in first:
                order.append(target)
                first[target] = ms
                necessity[target] = mat.necessity
            if lt:
                by_licence.setdefault(lt, target)
            aliases[(mm.matter, mat.id)] = target
            if mm.matter not in askers.setdefault(target, []):
                askers[target].append(mm.matter)
            if _RANK[mat.necessity] > _RANK[necessity[target]]:
                necessity[target] = mat.necessity
            if mat.necessity != Necessity.非必要:
                needs.setdefault(target, []).append((mm.matter, ms.condition))
    ids = {mm.matter for mm in members}
    producers = {mm.produces: mm.matter for mm in members if mm.produces}
    specs: list[MaterialSpec] = []
    flows: list[Flow] = []
    for mid in order:
        ms = first[mid]
        mat = ms.material
        producer = None
        if mat.source == Source.前序事项产出 and mat.produced_by in ids:
            producer = mat.produced_by
        elif mat.licence_type and producers.get(mat.licence_type) not in (None, *askers[mid]):
            producer = producers[mat.licence_type]
        if producer is not None:
            flows.extend(Flow(producer, c, mid) for c in askers[mid] if c != producer)
        if necessity[mid] != mat.necessity or mid != mat.id:
            mat = mat.model_copy(update={"necessity": necessity[mid], "id": mid})
        specs.append(
            dataclasses.replace(ms, material=mat, matters=tuple(askers[mid]), passed_from=producer)
        )
    conditions = {k: tuple(v) for k, v in needs.items()}
    return MergedMaterials(tuple(specs), conditions, aliases, tuple(flows))
