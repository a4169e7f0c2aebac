"""The case summary stored with a submission: what a department and the citizen read later.

It says the materials, uploads, steps with their departments and limits, eligibility, the
department answering for the case, and the promised deadline counted on the working-day
calendar (``runtime.deadline``, the one deadline function), with the definition version, so a
case page can say all of it even when that version is no longer loaded.
"""

from __future__ import annotations

import logging
from datetime import date
from typing import Any

from yijian.apply import commitments, materials
from yijian.apply.services import Services
from yijian.compiled.matter import CompiledMatter
from yijian.defs.form import FieldType
from yijian.runtime.answers import get
from yijian.runtime.deadline import PromisedLimit, application_limit, deadline_from
from yijian.runtime.evaluate import Outcome
from yijian.runtime.messages import value_text

log = logging.getLogger("yijian.apply")


def department_of(m: CompiledMatter) -> str | None:
    """Who answers for the case: a matter's 实施主体, a bundle's 牵头部门."""
    d: Any = m.definition
    if m.kind == "bundle":
        return m.extra.get("lead_department") or getattr(d, "lead_department", None)
    dept = getattr(d, "department", None)
    return getattr(dept, "name", None)


def _deadline(
    services: Services, m: CompiledMatter, today: date, out: Outcome, planned: int | None
) -> tuple[Any, str | None]:
    # a bundle: the plan of the members this application has; a member of one: its place in it
    limit = PromisedLimit(planned) if planned is not None else application_limit(m, out)
    if limit is None:
        return None, None
    snapshot = services.registry.current
    try:
        due = deadline_from(today, limit, snapshot.calendar if snapshot else None)
    except LookupError:  # a calendar year not published yet: the clerk sets it at acceptance
        log.warning("no calendar for the promised deadline of %s", m.id)
        return limit, None
    return limit, due.isoformat()


def _uploads(m: CompiledMatter, out: Outcome, files: dict[str, Any] | None) -> list[dict]:
    uploads = [
        {"material_id": f.definition.material, "field": f.key, **get(out.data, f.key)}
        for f in m.fields.values()
        if f.type == FieldType.file
        and f.key in out.visible
        and isinstance(get(out.data, f.key), dict)
    ]
    if files:
        uploads += materials.summary_uploads(materials.pending(m, out), files)
    return uploads


def _value(out: Outcome, key: str | None) -> Any:
    """An answer the rules showed, or a derived value (form.yaml ``applicant`` may name one)."""
    if key is None:
        return None
    return out.derived[key] if key in out.derived else get(out.data, key)


def applicant(m: CompiledMatter, out: Outcome) -> dict[str, Any] | None:
    """Who applies, from the answers: ``{name, id_number, mode}``; under 代办 the 代办人's
    name, ID number and phone, ``relation`` to the applicant and ``party``, the person applied
    for (``{name, id_number}``). 本人 is the person the form's ``applicant:`` names; an
    unanswered ``applying.mode`` is 本人 (forms/applying.yaml). None when the form says neither
    (the receipt then falls back to its guess, for definitions written before)."""
    party = None
    if m.applicant is not None:
        name = _value(out, m.applicant[0])
        if name not in (None, ""):
            party = {"name": str(name), "id_number": _value(out, m.applicant[1])}
    asks = "applying.mode" in m.fields
    if asks and get(out.data, "applying.mode") == "代办":
        return {
            "name": get(out.data, "applying.agent_name"),
            "id_number": get(out.data, "applying.agent_id_number"),
            "phone": get(out.data, "applying.agent_phone"),
            "mode": "代办",
            "relation": get(out.data, "applying.relation"),
            "party": party,
        }
    if party is None:
        return None
    return {**party, "mode": "本人"} if asks else party


def _receipt_rows(m: CompiledMatter, out: Outcome) -> list[dict[str, Any]]:
    """form.yaml ``on_receipt``: the answers shown and given, with their labels."""
    rows = []
    for key in m.on_receipt:
        value = get(out.data, key)
        spec = m.fields.get(key)
        if spec is not None and key in out.visible and value not in (None, "", [], {}):
            labels = {o.value: o.label for o in spec.options}
            text = labels.get(value, value) if isinstance(value, str) else value_text(value)
            rows.append({"key": key, "label": spec.label, "value": text})
    return rows


def summary(
    services: Services,
    m: CompiledMatter,
    out: Outcome,
    today: date,
    files: dict[str, Any] | None = None,
    planned_days: int | None = None,
) -> dict[str, Any]:
    """The case summary; ``files``: the draft's stored files (for the upload step's materials).

    ``planned_days``: for a bundle member's sub-case, its due day in the application's plan
    (``compose.plan.member_offsets``), in place of the member's single-matter promise: in a
    bundle a member starts only when the members it waits for are done, so its own promise
    counted from the joint acceptance would fall due before them.
    """
    limit, deadline = _deadline(services, m, today, out, planned_days)
    return {
        "matter_id": m.id,
        "matter_name": m.name,
        "kind": m.kind,
        "version": m.version,
        "submitted_on": today.isoformat(),
        "eligible": out.eligible,
        "rules": [
            {
                "id": r.spec.id,
                "name": r.spec.name,
                "passed": r.passed,
                "block": r.spec.block,
                "message": r.spec.message if r.passed is False else None,
            }
            for r in out.rules
        ],
        "situations": list(out.situations),
        "materials": [
            {
                "id": x.material.id,
                "name": x.material.name,
                "source": x.material.source.value,
                "necessity": x.material.necessity.value,
                "passed_from": x.passed_from,
                "matters": list(x.matters),
            }
            for x in out.materials
        ],
        "uploads": _uploads(m, out, files),
        "commitments": commitments.recorded(m, out),  # 告知承诺: checked after the decision
        "steps": [
            {
                "id": s.step.id,
                "name": s.step.name,
                "kind": s.step.kind.value,
                "department": s.department,
                "time_limit": s.step.time_limit,
                "after": list(s.step.after),
                "matter": s.matter,
            }
            for s in out.steps
        ],
        "department": department_of(m),
        "applicant": applicant(m, out),
        "on_receipt": _receipt_rows(m, out),
        "promised_days": limit.days if limit else None,
        "promised_workdays": limit.workdays if limit else True,
        "deadline": deadline,
        "derived": {
            k: v for k, v in out.derived.items() if isinstance(v, str | int | float | bool | None)
        },
    }
