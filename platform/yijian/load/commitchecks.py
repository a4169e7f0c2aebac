"""Checks of matter.yaml ``commitments:`` (告知承诺): what each one replaces must exist.

A commitment names the materials it stands in for (``materials:`` ids), the eligibility rules
that no longer block (rules.yaml ids) and, when it is made in the form itself, the declaration
answer that makes it; each must exist, and a commitment must replace something or name its
answer (one that does neither would be a box that changes nothing). Its ``check_department``
is checked against rules/org.yaml with every other department (``load.org``).
"""

from __future__ import annotations

from yijian.defs.matter import MatterDef
from yijian.defs.rules import RulesDef
from yijian.load.checks import diagnostic_at, unknown_ref
from yijian.load.source import FolderSource
from yijian.located.diagnostics import Diagnostic

__all__ = ["check_commitments"]


def check_commitments(
    folder: FolderSource, m: MatterDef, rules: RulesDef, out: list[Diagnostic]
) -> None:
    if not m.commitments:
        return
    src = folder.files["matter.yaml"]
    materials = [mat.id for mat in m.materials]
    rule_ids = [e.id for e in rules.eligibility]
    form = folder.model("form.yaml")
    keys = {f.key for p in (form.pages if form else ()) for f in p.fields if f.key}
    seen: set[str] = set()
    for i, c in enumerate(m.commitments):
        at = ("commitments", i)
        if c.id in seen:
            msg = f"commitment id '{c.id}' is used twice"
            out.append(diagnostic_at(src, (*at, "id"), msg, "E-COMMITMENT"))
        seen.add(c.id)
        for j, ref in enumerate(c.replaces.materials):
            if ref not in materials:
                loc = (*at, "replaces", "materials", j)
                out.append(unknown_ref(src, loc, "material", ref, materials, "E-REF-MATERIAL"))
        for j, ref in enumerate(c.replaces.rules):
            if ref not in rule_ids:
                loc = (*at, "replaces", "rules", j)
                out.append(unknown_ref(src, loc, "rule", ref, rule_ids, "E-REF-RULE"))
        if c.answer is not None and form is not None and c.answer not in keys:
            loc = (*at, "answer")
            out.append(unknown_ref(src, loc, "form answer", c.answer, sorted(keys), "E-COMMITMENT"))
        if c.answer is None and not c.replaces.materials and not c.replaces.rules:
            msg = f"commitment '{c.id}' replaces nothing and names no form answer"
            hint = "list the materials or rules it replaces under replaces:, or name its answer:"
            out.append(diagnostic_at(src, at, msg, "E-COMMITMENT", hint))
