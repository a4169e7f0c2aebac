"""容缺受理: accept now, a minor material later — under the applicant's written commitment.

Rules (domain reference §4.5): only materials the definition marks 容缺后补; the applicant
signs the 容缺受理承诺书 (the matter's ``tolerance_commitment``, else :data:`COMMITMENT`; the
clerk confirms it was signed);
the supply deadline is no later than the promised limit; an applicant who broke such a
commitment before (``store.credit``) cannot have it until their credit is repaired; when the
deadline passes unsupplied, the case is terminated (终止办理) and the applicant flagged. The
applicant supplies a material from the case page (a ``supplied`` event).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from yijian.apply.cases import limit_of
from yijian.apply.services import Services
from yijian.calendar.clock import china_today
from yijian.casework import kinds, window
from yijian.casework.timeline import outstanding
from yijian.documents.receipt_inputs import applicant_of
from yijian.office.window import (
    WindowCase,
    WindowError,
    act,
    deadline_after,
    open_case,
    writer_for,
)
from yijian.runtime.deadline import deadline_from
from yijian.store import Event
from yijian.store.staff import StaffMember
from yijian.store.tasks import replace as replace_tasks

__all__ = [
    "COMMITMENT",
    "accept_tolerantly",
    "commitment_of",
    "outstanding",
    "terminate_overdue",
    "tolerable",
]

COMMITMENT = (
    "本人自愿申请容缺受理，承诺在规定期限内补齐所缺材料，并对所提交材料的真实性负责；"
    "逾期未补齐或补正不合格的，同意终止办理，由此产生的后果由本人承担。"
)


def commitment_of(seen: WindowCase) -> str:
    """The 容缺受理承诺书 the applicant signs: the matter's own text (``tolerance_commitment``
    in matter.yaml), else the standard one."""
    definition = getattr(seen.matter, "definition", None)
    return getattr(definition, "tolerance_commitment", None) or COMMITMENT


def tolerable(seen: WindowCase) -> dict[str, str]:
    """Material id → name of the case's materials that the definition marks 容缺后补."""
    return {
        str(m.get("id")): str(m.get("name") or m.get("id"))
        for m in seen.case.summary.get("materials", [])
        if m.get("necessity") == "容缺后补"
    }


def accept_tolerantly(
    services: Services,
    member: StaffMember | None,
    case_no: str,
    materials: Sequence[str],
    due: date | None,
    signed: bool,
) -> Event:
    seen = open_case(services, member, case_no, evaluate=False)
    allowed = tolerable(seen)
    if not materials:
        raise WindowError("请勾选容缺后补的材料")
    wrong = [m for m in materials if m not in allowed]
    if wrong:
        raise WindowError(f"只有定义为“容缺后补”的材料可以容缺：{'、'.join(wrong)}")
    if not signed:
        raise WindowError("请确认申请人已签署《容缺受理承诺书》")
    applicant = applicant_of(seen.case)
    credit = services.store.credit  # type: ignore[attr-defined]
    if credit.flagged(applicant.id_number if applicant else None):
        raise WindowError("申请人曾未履行容缺承诺，信用修复前不适用容缺受理")
    today = china_today(services.clock)
    latest = _latest_due(services, seen, today)
    if due is None or due <= today:
        raise WindowError("补齐期限须晚于今天")
    if latest is not None and due > latest:
        raise WindowError(f"补齐期限不能晚于承诺办结期限（{latest.isoformat()}）")
    data = {
        "materials": [{"id": m, "label": allowed[m]} for m in materials],
        "items": [{"label": allowed[m]} for m in materials],  # for the notice's list
        "due": due.isoformat(),
        "commitment": commitment_of(seen),
    }
    deadline = deadline_after(services, seen, kinds.TOLERANT_ACCEPTED, data)
    if deadline:
        data["deadline"] = deadline
    check = window.may_accept_tolerantly
    return act(services, member, case_no, kinds.TOLERANT_ACCEPTED, data, check)


def _latest_due(services: Services, seen: WindowCase, today: date) -> date | None:
    limit = limit_of(seen.case, seen.matter)
    snapshot = services.registry.current if services.registry else None
    if limit is None or limit.days == 0:
        return None
    try:
        return deadline_from(today, limit, snapshot.calendar if snapshot else None)
    except LookupError:
        return None


def _still_overdue(events: Sequence[Any]) -> str | None:
    """Checked in the transaction: supplied meanwhile, or closed otherwise, changes nothing."""
    if outstanding(events)[0] and window.status(events) == "accepted":
        return None
    return "材料已补齐或办件已结束"


def _closing(case: Any) -> Any:
    """The termination's notices, and the case's tasks leave the department queues."""
    notify = writer_for(case, str(case.summary.get("matter_name") or "")) if case else None

    def write(conn: Any, event: Any) -> None:
        if notify is not None:
            notify(conn, event)
        replace_tasks(conn, event.case_no, [])

    return write


def terminate_overdue(store: Any, today: date) -> list[str]:
    """终止办理 every 容缺受理 case whose materials were not all supplied by their due date,
    and flag the applicant (the worker runs this daily); the case numbers terminated."""
    done = []
    for case_no in store.cases.with_open_kind(kinds.TOLERANT_ACCEPTED, "accepted"):
        left, due = outstanding(store.cases.events(case_no))
        if not left or not due or date.fromisoformat(due) >= today:
            continue

        names = "、".join(m.get("label", "") for m in left)
        case = store.cases.get(case_no)
        event = store.cases.act(
            case_no,
            kinds.TERMINATED,
            status=kinds.STATUS[kinds.TERMINATED],
            actor="system:worker",
            data={"reason": f"容缺材料（{names}）逾期未补齐"},
            check=_still_overdue,
            also=_closing(case),
        )
        if isinstance(event, str):
            continue
        applicant = applicant_of(case) if case else None
        if applicant and applicant.id_number:
            store.credit.flag(applicant.id_number, case_no)
        done.append(case_no)
    return done
