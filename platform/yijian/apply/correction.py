"""The applicant answers a correction notice (一次性补正): only what the window flagged.

The notice names answers (by key) and materials (by id). The applicant may change exactly
those answers and upload exactly those materials; everything else stays as submitted. The
changed answers are judged by the same evaluation as the form (``apply.evaluation``, on the
case's pinned version), so a correction passes the checks the first submission passed; only
the flagged fields' messages are shown, since nothing else can be changed here.

Resubmitting is one ``corrected`` event holding the new values and the new files, appended
only while the notice is open (``casework.window.may_correct``, checked in the transaction):
the submitted answers stay as they were and ``casework.timeline.current_answers`` lays each
correction over them, so the window sees what changed, and when.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from yijian.apply.cases import pinned_matter
from yijian.apply.errors import NotFound
from yijian.apply.evaluation import outcome
from yijian.apply.services import Services
from yijian.casework import kinds, window
from yijian.casework.timeline import current_answers
from yijian.compiled.matter import CompiledMatter, FieldSpec
from yijian.runtime.answers import get
from yijian.runtime.evaluate import Outcome
from yijian.store import Case, Event


@dataclass(frozen=True)
class Notice:
    """An open correction notice with what the form needs to show it."""

    case: Case
    matter: CompiledMatter
    answers: dict[str, Any]  # the case's current answers
    fields: list[FieldSpec]  # the flagged answers' fields, in form order
    materials: list[dict[str, str]]  # the flagged materials: id, label, reason
    reasons: dict[str, str]  # answer key → why it must change
    due: str | None
    events: list[Event] = field(repr=False)


def open_notice(services: Services, case: Case) -> Notice:
    """The notice the applicant must answer; NotFound when none is open (or the definition the
    case was submitted on is gone: then the window must ask again)."""
    events = services.store.cases.events(case.case_no)
    notice = window.open_correction(events)
    matter = pinned_matter(services, case.matter_id, case.version)
    if notice is None or matter is None:
        raise NotFound()
    items = notice.get("items", [])
    reasons = {i["id"]: i.get("reason", "") for i in items if i.get("kind") == "answer"}
    fields = [f for f in matter.fields.values() if f.key in reasons]
    materials = [
        {"id": i["id"], "label": i.get("label", i["id"]), "reason": i.get("reason", "")}
        for i in items
        if i.get("kind") == "material"
    ]
    answers = current_answers(case.answers, events)
    return Notice(case, matter, answers, fields, materials, reasons, notice.get("due"), events)


def judge(services: Services, notice: Notice, answers: dict[str, Any]) -> tuple[Outcome, dict]:
    """The evaluation of the corrected answers and the messages of the flagged fields."""
    out = outcome(services, notice.matter, answers, validate=True)
    flagged = set(notice.reasons)
    errors = {
        k: v
        for k, v in out.errors.items()
        if k in flagged or any(k.startswith(f + ".") for f in flagged)
    }
    return out, errors


def resubmit(
    services: Services,
    notice: Notice,
    answers: Mapping[str, Any],
    files: Mapping[str, str],
    actor: str,
    also: Any = None,
) -> Event | str:
    """Append the ``corrected`` event: the flagged answers' new values and the new files (by
    material id); a message instead when the notice is no longer open.

    A notice sent after acceptance (a department's 补正) returns the case to ``accepted`` (the
    clock runs again), not to the window's queue; ``also`` writes what follows in the same
    transaction (the back office passes its task settling)."""
    changed = [
        key for key in notice.reasons if get(answers, key) != get(notice.answers, key)
    ] + list(files)
    data = {
        "answers": {key: get(answers, key) for key in notice.reasons},
        "files": dict(files),
        "changed": changed,
    }
    return services.store.cases.act(
        notice.case.case_no,
        kinds.CORRECTED,
        status="accepted" if _accepted(notice.events) else kinds.STATUS[kinds.CORRECTED],
        actor=actor,
        data=data,
        check=window.may_correct,
        also=also,
    )


def _accepted(events: list[Event]) -> bool:
    return any(e.kind in (kinds.ACCEPTED, kinds.TOLERANT_ACCEPTED) for e in events)
