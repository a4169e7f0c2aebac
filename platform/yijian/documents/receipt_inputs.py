"""What goes on a receipt, gathered from the case, its pinned definition and its files.

Kept apart from the web route so that the back office (or a CLI reprint) builds the same
receipt. Everything read from the definition is optional: a receipt for a case whose
definition version is no longer loaded still prints, with what the case itself stores.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import datetime
from typing import Any

from yijian.calendar.workdays import WorkCalendar
from yijian.compiled.matter import CompiledMatter
from yijian.defs.common import TimeUnit
from yijian.documents.receipt import Applicant, Deadline
from yijian.runtime import answers as answer_paths
from yijian.runtime.deadline import PromisedLimit, deadline_from, promised_limit
from yijian.store import Case, FileRef

__all__ = ["applicant_of", "party_of", "receipt_inputs"]


def _find_key(data: Any, suffix: str, prefix: str = "") -> str | None:
    """The first dotted key ending in ``suffix`` (e.g. ``applicant.id_number``)."""
    if not isinstance(data, Mapping):
        return None
    for key, value in data.items():
        path = f"{prefix}{key}"
        if key == suffix and isinstance(value, str):
            return path
        found = _find_key(value, suffix, path + ".")
        if found:
            return found
    return None


def _person(given: Any) -> Applicant | None:
    if not isinstance(given, Mapping) or not given.get("name"):
        return None
    number = given.get("id_number")
    return Applicant(str(given["name"]), str(number) if number else None)


def applicant_of(case: Case, fallback_name: str | None = None) -> Applicant | None:
    """Who applies: ``summary["applicant"]`` as the submission recorded it from the answers
    (forms/applying.yaml and form.yaml ``applicant``: 本人, or the 代办人 with their relation
    and the person applied for), or the window's 帮办 record.

    A case whose definition says neither (written before the question existed) gets the old
    guess, kept only as that fallback: the first ``…id_number`` answer and the ``name`` beside
    it, else ``fallback_name``.
    """
    given = case.summary.get("applicant")
    found = _person(given)
    if found is not None:
        assert isinstance(given, Mapping)
        if given.get("mode") != "代办":
            return found
        return Applicant(
            found.name,
            found.id_number,
            agent=True,
            relation=str(given["relation"]) if given.get("relation") else None,
            party=_person(given.get("party")),
            phone=str(given["phone"]) if given.get("phone") else None,
        )
    id_key = _find_key(case.answers, "id_number")
    name = None
    if id_key:
        parent = id_key.rpartition(".")[0]
        name = answer_paths.get(case.answers, f"{parent}.name" if parent else "name")
    name = name or fallback_name
    if not name:
        return None
    return Applicant(str(name), answer_paths.get(case.answers, id_key) if id_key else None)


def party_of(case: Case, fallback_name: str | None = None) -> Applicant | None:
    """The person the application is for (a licence's or a result's holder): the applicant,
    or under 代办 the person the 代办人 applied for (the guess when the record lacks them)."""
    found = applicant_of(case, fallback_name)
    if found is None or not found.agent:
        return found
    if found.party is not None:
        return found.party
    return applicant_of(replace(case, summary={**case.summary, "applicant": None}), fallback_name)


def _materials(matter: CompiledMatter | None, files: Sequence[FileRef]) -> list[dict[str, str]]:
    names = {m.material.id: m.material.name for m in matter.materials} if matter else {}
    counts: dict[str, int] = {}
    for f in files:
        counts[f.material_id] = counts.get(f.material_id, 0) + 1
    return [
        {"name": names.get(mid, mid), "detail": f"电子文件 {n} 份"} for mid, n in counts.items()
    ]


_FETCHED = {"电子证照": "电子证照调取", "数据共享": "数据共享获取", "表单推送": "表单推送"}


def _received(case: Case, files: Sequence[FileRef]) -> list[dict[str, Any]]:
    """已收材料: what the application brought, each with how (files uploaded, or fetched for
    the applicant), and not what this same bundle will produce later (a 出生医学证明 passed
    from one member to the next is issued, not received), nor what was not brought (容缺后补
    without a file yet, a certificate to be issued by a department)."""
    counts: dict[str, int] = {}
    for f in files:
        counts[f.material_id] = counts.get(f.material_id, 0) + 1
    for u in case.summary.get("uploads") or []:
        if isinstance(u, Mapping) and u.get("material_id") and u["material_id"] not in counts:
            counts[str(u["material_id"])] = 1
    out = []
    for m in case.summary.get("materials") or []:
        if not isinstance(m, Mapping) or m.get("passed_from"):
            continue
        n = counts.get(str(m.get("id")), 0)
        how = f"电子文件 {n} 份" if n else _FETCHED.get(str(m.get("source")))
        if how:
            out.append({"name": str(m.get("name") or m.get("id")), "detail": how})
    return out


def _steps(case: Case, matter: CompiledMatter | None) -> list[str]:
    """The application's own steps (the summary's: only included members, only the steps
    whose condition held, e.g. no 邮寄 when 网点自取 was chosen), else the definition's."""
    listed = case.summary.get("steps")
    if isinstance(listed, list):
        return [str(s.get("name")) for s in listed if isinstance(s, dict) and s.get("name")]
    return [s.step.name for s in matter.steps] if matter else []


def _limit(case: Case, matter: CompiledMatter | None) -> PromisedLimit | None:
    """The application's own promise as the summary recorded it at submission (a bundle: the
    plan of the members it includes), else the definition's."""
    days = case.summary.get("promised_days")
    if isinstance(days, int) and not isinstance(days, bool):
        work = case.summary.get("promised_workdays", True)
        return PromisedLimit(days, TimeUnit.工作日 if work else TimeUnit.自然日)
    return promised_limit(matter) if matter else None


def receipt_inputs(
    case: Case,
    matter: CompiledMatter | None,
    files: Sequence[FileRef],
    calendar: WorkCalendar | None,
    *,
    site_name: str,
    applicant_name: str | None = None,
) -> dict[str, Any]:
    """Keyword arguments for ``render_receipt``."""
    definition: Any = matter.definition if matter else None
    limit = _limit(case, matter)
    department = phone = None
    if definition is not None:
        dept = getattr(definition, "department", None)
        department = dept.name if dept else getattr(definition, "lead_department", None)
        service = getattr(definition, "service", None)
        phone = service.phone if service else None
    deadline = None
    if limit is not None:
        try:
            due = deadline_from(datetime.fromisoformat(case.submitted_at).date(), limit, calendar)
        except LookupError:  # no calendar for that year yet: the promise in days still prints
            due = None
        deadline = Deadline(limit.days, due, limit.workdays)
    members = {m.id: m.name for m in matter.members} if matter else {}
    return {
        "case": case,
        "matter_name": (matter.name if matter else None)
        or str(case.summary.get("matter_name") or case.matter_id),
        "site_name": site_name,
        "materials": _received(case, files)
        if case.summary.get("materials") is not None
        else _materials(matter, files),
        "steps": _steps(case, matter),
        "deadline": deadline,
        "applicant": applicant_of(case, applicant_name),
        "department": department,
        "phone": phone,
        "sub_matter_names": members,
        "rows": [
            {"label": str(r.get("label")), "value": str(r.get("value"))}
            for r in case.summary.get("on_receipt") or []
            if isinstance(r, Mapping)
        ],
    }
