"""The guide's content (办事指南) as data, generated from the definition.

Every material is listed once (一次性告知) with where it comes from, on what medium, how many
copies, whether an e-licence replaces it and whether it may follow later (容缺后补). The page
is plain HTML that prints (the theme's print CSS hides navigation and buttons). A bundle shows
its member matters and, when the composer computed them, what it saves (三减).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from yijian.apply import commitments
from yijian.compiled.matter import CompiledMatter, MaterialSpec
from yijian.defs.common import HandleForm, OnlineDepth, TimeLimit, TimeUnit
from yijian.defs.matter import Necessity, Source

SAVINGS_LABELS = {
    "questions": "填写问题",
    "materials": "提交材料",
    "visits": "跑动次数",
    "steps": "办理环节",
    "days": "办理时间（工作日）",
    "forms": "填写表单",
}


def limit_text(limit: TimeLimit, promised: bool = False) -> str:
    if limit.days == 0:
        return "当场办结"
    unit = "个工作日" if limit.unit == TimeUnit.工作日 else "个自然日"
    return f"{'承诺 ' if promised else ''}{limit.days} {unit}"


def online_depth_label(depth: Iterable[OnlineDepth], handle_forms: Iterable[str] = ()) -> str:
    """The national depth levels in one phrase: 全程网办 … 网上咨询 (or 线下办理).

    A matter offered 网上 without a depth (``yijian check`` warns, E-ONLINE-DEPTH) is applied
    for online all the same: 网上申请, never 线下办理."""
    d = set(depth)
    if not d and HandleForm.网上 in set(handle_forms):
        return "网上申请"
    if OnlineDepth.办理 in d and d & {OnlineDepth.办理结果信息反馈, OnlineDepth.电子证照反馈}:
        return "全程网办"
    if OnlineDepth.受理 in d or OnlineDepth.办理 in d:
        return "网上受理"
    if d & {OnlineDepth.收件, OnlineDepth.预审}:
        return "网上预审"
    return "网上咨询" if d else "线下办理"


#: the note of a material some answers ask for (the checklist says which: apply.checklist)
CONDITIONAL = "视您填写的情况需要"
#: Why a material that is not the citizen's to provide needs nothing from them, by source, when
#: its definition says nothing of where it comes from (a 免提交 line without any reason reads as
#: if it were forgotten).
_NOT_ASKED = {
    Source.政府部门核发: "由政府部门核发，部门之间共享，无需提交",
    Source.电子证照: "通过电子证照库调取，无需提交",
    Source.数据共享: "通过部门数据共享获取，无需提交",
    Source.表单推送: "根据您填写的信息自动生成，无需提交",
    Source.前序事项产出: "由前序事项办结后产生，无需提交",
}


@dataclass(frozen=True)
class MaterialLine:
    """One material as the guide prints it."""

    id: str
    name: str
    necessity: str
    source: str
    medium: str
    detail: str  # form · copies · spec
    notes: tuple[str, ...]
    asked: bool  # the citizen provides it (upload or paper)


def material_line(
    ms: MaterialSpec,
    names: Mapping[str, str],
    situations: Mapping[str, str],
    committable: Mapping[str, str] | None = None,
) -> MaterialLine:
    mat = ms.material
    copies = []
    if mat.copies.original:
        copies.append(f"原件 {mat.copies.original} 份")
    if mat.copies.copy_:
        copies.append(f"复印件 {mat.copies.copy_} 份")
    detail = " · ".join([mat.form.value, *copies, *([mat.spec] if mat.spec else [])])
    asked = mat.source == Source.申请人自备 and ms.passed_from is None
    notes: list[str] = []
    if ms.passed_from:
        # first, and instead of the e-licence note: the licence does not exist yet when the
        # citizen applies, an earlier member of the bundle issues it
        notes.append(f"由“{names.get(ms.passed_from, ms.passed_from)}”办结后自动流转，无需提交")
    if mat.source_note:
        notes.append(mat.source_note)
    if mat.licence_type and not ms.passed_from:
        notes.append(f"可调取“{mat.licence_type}”电子证照，无需提交")
    elif not (asked or ms.passed_from or mat.source_note) and mat.source in _NOT_ASKED:
        notes.append(_NOT_ASKED[mat.source])
    if asked and mat.necessity == Necessity.容缺后补:
        notes.append("可容缺受理：暂缺时可先受理，受理后按承诺补交")
    if committable and mat.id in committable:
        notes.append(f"可告知承诺：可以书面承诺代替，办结后核查（{committable[mat.id]}）")
    if mat.id in situations:
        notes.append(f"仅“{situations[mat.id]}”时需要")
    elif ms.condition is not None:
        notes.append(CONDITIONAL)
    if asked and len(ms.matters) > 1:
        notes.append("多个事项共用，只需提交一份")
    if mat.notes:
        notes.append(mat.notes)
    return MaterialLine(
        mat.id,
        mat.name,
        mat.necessity.value,
        mat.source.value,
        mat.medium.value,
        detail,
        tuple(notes),
        asked,
    )


def material_lines(m: CompiledMatter, names: Mapping[str, str]) -> list[MaterialLine]:
    situations = {mid: s.name for s, _ in m.situations for mid in s.materials}
    committable = {  # 告知承诺: material id → who checks it
        mid: o.commitment.check_department
        for o in commitments.offers(m)
        for mid in o.commitment.replaces.materials
    }
    return [material_line(ms, names, situations, committable) for ms in m.materials]


def savings_rows(savings: Any) -> list[tuple[str, str]]:
    """``extra["savings"]`` in the composer's shape, as (what, separately → bundled)."""
    rows = []
    if not isinstance(savings, Mapping):
        return rows
    for key, value in savings.items():
        label = SAVINGS_LABELS.get(key, str(key))
        if isinstance(value, Mapping) and {"separate", "bundled"} <= set(value):
            text = f"分别办理 {value['separate']}，一件事办理 {value['bundled']}"
        elif isinstance(value, list | tuple) and len(value) == 2:
            text = f"分别办理 {value[0]}，一件事办理 {value[1]}"
        else:
            text = str(value)
        rows.append((label, text))
    return rows
