"""The material checklist beside a form: what is asked now, fetched for the citizen, uploaded.

One line per material the rules ask for (``Outcome.materials``), with a status the themes
draw: ``required``, ``later`` (容缺后补), ``uploaded`` or ``exempt`` (免提交: fetched from an
e-licence, passed along from another matter of the bundle, or not needed in this situation).
"""

from __future__ import annotations

from typing import Any

from yijian.apply.guide import CONDITIONAL, material_line
from yijian.apply.materials import pending
from yijian.apply.services import Services
from yijian.compiled.matter import CompiledMatter
from yijian.defs.form import FieldType
from yijian.runtime.answers import get
from yijian.runtime.evaluate import Outcome
from yijian.runtime.explanation import because


def items(
    services: Services,
    m: CompiledMatter,
    out: Outcome,
    answers: dict[str, Any],
    files: dict[str, Any] | None = None,
) -> list[dict[str, Any]]:
    """The material checklist: what is asked now, what is fetched for the citizen, uploads done.

    ``files``: the draft's stored files by material id (``materials.uploaded``); only those of
    the upload step count from it (a file field's upload counts through its answer, so a file
    removed from a field does not linger as uploaded).
    """
    snapshot = services.registry.current
    names = {mid: x.name for mid, x in snapshot.matters.items()} if snapshot else {}
    # a bundle's members as the banner names them: the versions the draft is pinned to
    names.update({x.id: x.name for x in m.members})
    situations = {mid: s.name for s, _ in m.situations for mid in s.materials}
    uploaded = {
        f.definition.material
        for f in m.fields.values()
        if f.type == FieldType.file and get(answers, f.key)
    }
    if files:
        uploaded |= {ms.material.id for ms in pending(m, out) if ms.material.id in files}
    items = []
    for ms in out.materials:
        line = material_line(ms, names, situations)
        if not line.asked:
            status = "exempt"
        elif ms.material.id in uploaded:
            status = "uploaded"
        elif line.necessity == "容缺后补":
            status = "later"
        else:
            status = "required"
        notes = list(line.notes)
        if line.asked and ms.condition is not None and CONDITIONAL in notes:
            notes[notes.index(CONDITIONAL)] = _why_asked(services, m, out, ms.condition)
        items.append(
            {
                "name": line.name,
                "status": status,
                # only what is asked of the citizen carries 必要 / 可容缺后补 (see 免提交)
                "necessity": line.necessity if line.asked else None,
                "detail": f"{line.detail} · {line.medium}",
                # every note: the one that matters (passed along, 容缺) is not always the first
                "notes": notes,
                "note": notes[0] if notes else None,  # themes written for one note
            }
        )
    return items


def _why_asked(services: Services, m: CompiledMatter, out: Outcome, condition: Any) -> str:
    """ "需要提交，因为增发情形为独生子女父母（第 2 页 增发情形）": the answers that made the
    material's rule hold (``runtime.explanation.because``), instead of the guide's general
    视您填写的情况需要 (the guide has no answers; the checklist has)."""
    reasons = because(m, out, condition, services.regions)
    if not reasons:
        return CONDITIONAL
    return "需要提交，因为" + "；".join(r.line for r in reasons)
