"""The window's actions on one case (一窗受理): open it, accept, ask once for a correction, refuse.

Every action is one event on the case's hash chain with the acting member as its actor
(``staff:<id>:<login>``), appended only if ``casework.window`` allows it on the events as they
are inside the write transaction. So a double click, or two clerks at once, act once, and an
action on a case in the wrong state (accepting a refused case) changes nothing and says why
(:class:`WindowError`, in Chinese, for the page).

Scope: a case outside the member's regions is :class:`~yijian.apply.errors.NotFound` (the web
answers 404, not 403: nobody learns what exists elsewhere). Acting needs a ``clerk`` grant for
the case's region; a supervisor sees and never acts.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from yijian.apply.cases import department_of, limit_of, pinned_matter
from yijian.apply.errors import NotFound
from yijian.apply.evaluation import outcome
from yijian.apply.services import Services
from yijian.calendar.clock import china_today
from yijian.casework import kinds, window
from yijian.casework.clock import case_clock, check_extension
from yijian.compiled.matter import CompiledMatter
from yijian.documents.receipt_inputs import applicant_of
from yijian.notify.messages import messages_for, reminders_for
from yijian.office.scope import can_act, can_see
from yijian.office.tasks import plan_of, settle
from yijian.runtime.answers import get
from yijian.runtime.evaluate import Outcome
from yijian.store import Case, Event
from yijian.store.outbox import enqueue
from yijian.store.staff import StaffMember

__all__ = [
    "Correction",
    "WindowCase",
    "WindowError",
    "accept",
    "correctable",
    "open_case",
    "refuse",
    "request_correction",
]


class WindowError(ValueError):
    """An action the window cannot take now; the message says why, for the clerk."""


@dataclass(frozen=True)
class WindowCase:
    """A case as the window sees it: the case, its pinned definition, its events, and the
    eligibility evaluated again on that version (rules may have changed since)."""

    case: Case
    matter: CompiledMatter | None
    events: list[Event]
    status: str
    out: Outcome | None
    department: str | None
    may_act: bool


@dataclass(frozen=True)
class Correction:
    """One item of a correction notice: an answer (its key) or a material (its id)."""

    kind: str  # "answer" | "material"
    id: str
    reason: str


def actor_of(member: StaffMember) -> str:
    return f"staff:{member.id}:{member.login}"


def open_case(
    services: Services, member: StaffMember | None, case_no: str, evaluate: bool = True
) -> WindowCase:
    """The case if the member's grants reach it; NotFound otherwise (and when it is a sub-case
    or unknown: the window receives whole applications)."""
    case = services.store.cases.get(case_no[:64])
    if case is None or case.parent_case_no is not None:
        raise NotFound()
    matter = pinned_matter(services, case.matter_id, case.version)
    department = department_of(case, matter)
    if not can_see(member, case.region, department_id(services, department)):
        raise NotFound()
    events = services.store.cases.events(case.case_no)
    out = None
    if matter is not None and evaluate:  # the page shows it; an action does not need it
        try:
            out = outcome(services, matter, case.answers, validate=True)
        except Exception:  # an old answer a changed rule cannot read: shown as not evaluated
            out = None
    may = can_act(member, "clerk", case.region, None)
    return WindowCase(case, matter, events, window.status(events), out, department, may)


def department_id(services: Services, name: str | None) -> str | None:
    """The org id of a department named by a case (grants name departments by id); the name
    itself when the organisation does not know it."""
    snapshot = services.registry.current if services.registry else None
    found = snapshot.org.department(name) if snapshot is not None and name else None
    return found.id if found is not None else name


def act(
    services: Services,
    member: StaffMember | None,
    case_no: str,
    kind: str,
    data: dict[str, Any],
    check: Callable[[Sequence[Any]], str | None],
) -> Event:
    seen = open_case(services, member, case_no, evaluate=False)
    if member is None or not seen.may_act:
        raise WindowError("您没有该办件所在地区的综合窗口权限，只能查看")
    also = notify_writer(seen)
    if kind in (kinds.ACCEPTED, kinds.TOLERANT_ACCEPTED):  # routing starts: tasks open
        also = settling(services, seen.case, also)
    done = services.store.cases.act(
        seen.case.case_no,
        kind,
        status=kinds.STATUS.get(kind),
        actor=actor_of(member),
        data=data,
        check=check,
        also=also,
    )
    if isinstance(done, str):
        raise WindowError(done)
    return done


def settling(
    services: Services, case: Case, notify: Callable[[Any, Event], None]
) -> Callable[[Any, Event], None]:
    """The event's notifications, then the tasks it opens (``office.tasks.settle``), in the
    event's own transaction."""

    plan = plan_of(services, case)  # before the transaction: it may read the version archive
    follow = plan.writer(notify)

    def write(conn: Any, event: Event) -> None:
        notify(conn, event)
        settle(conn, event.at, plan, follow)

    return write


def notify_writer(seen: WindowCase) -> Callable[[Any, Event], None]:
    """Writes the event's messages into the outbox in the event's own transaction."""
    name = seen.matter.name if seen.matter else str(seen.case.summary.get("matter_name") or "")
    return writer_for(seen.case, name)


def writer_for(case: Case, matter_name: str) -> Callable[[Any, Event], None]:
    applicant = applicant_of(case)

    def write(conn: Any, event: Event) -> None:
        name = applicant.name if applicant else None
        args = (event.kind, event.seq, case.case_no, matter_name, name, case.answers, event.data)
        for item in messages_for(*args):
            enqueue(conn, item, event.at, case.case_no, event.seq)
        due = event.data.get("due")
        for item in reminders_for(*args):  # the day before it is due, at 9 in the morning
            day = date.fromisoformat(str(due)) - timedelta(days=1)
            when = f"{max(day, date.fromisoformat(event.at[:10])).isoformat()}T09:00:00+08:00"
            enqueue(conn, item, event.at, case.case_no, event.seq, not_before=when)

    return write


def deadline_after(
    services: Services, seen: WindowCase, kind: str, data: dict[str, Any]
) -> str | None:
    """The promised deadline once an event of ``kind`` is added today: recorded in the event,
    so the deadline the applicant was told is a fact (``casework.clock.recheck``)."""
    today = china_today(services.clock)
    at = f"{today.isoformat()}T12:00:00+08:00"
    upcoming = Event(seen.case.case_no, len(seen.events) + 1, kind, None, None, at, data)
    snapshot = services.registry.current if services.registry else None
    calendar = snapshot.calendar if snapshot else None
    clock = case_clock([*seen.events, upcoming], limit_of(seen.case, seen.matter), calendar, today)
    return clock.deadline.isoformat() if clock.deadline else None


def accept(services: Services, member: StaffMember | None, case_no: str) -> Event:
    """受理: the promised deadline starts the next working day (``casework`` clock)."""
    seen = open_case(services, member, case_no, evaluate=False)
    due = deadline_after(services, seen, kinds.ACCEPTED, {})
    data = {"deadline": due} if due else {}
    return act(services, member, case_no, kinds.ACCEPTED, data, window.may_accept)


def refuse(
    services: Services, member: StaffMember | None, case_no: str, reason: str, basis: str
) -> Event:
    """不予受理: a reason and its legal basis are required; the case is closed."""
    reason, basis = reason.strip()[:2000], basis.strip()[:500]
    if not reason or not basis:
        raise WindowError("不予受理须写明理由和法律依据")
    data = {"reason": reason, "basis": basis}
    return act(services, member, case_no, kinds.REFUSED, data, window.may_refuse)


def request_correction(
    services: Services,
    member: StaffMember | None,
    case_no: str,
    items: Sequence[Correction],
    due: date | None,
) -> Event:
    """一次性补正: every answer and material to change, each with its reason, in ONE notice."""
    seen = open_case(services, member, case_no, evaluate=False)
    if not items:
        raise WindowError("请勾选需要补正的内容，并逐项写明原因")
    known = correctable(seen)
    for it in items:
        if (it.kind, it.id) not in known:
            raise WindowError(f"没有可补正的项目：{it.id}")
        if not it.reason.strip():
            raise WindowError(f"请写明“{known[(it.kind, it.id)]}”需要补正的原因")
    today = china_today(services.clock)
    if due is None or due <= today:
        raise WindowError("补正期限须晚于今天")
    data = {
        "items": [
            {"kind": i.kind, "id": i.id, "label": known[(i.kind, i.id)], "reason": i.reason[:500]}
            for i in items
        ],
        "due": due.isoformat(),
    }
    return act(
        services, member, case_no, kinds.CORRECTION_REQUESTED, data, window.may_request_correction
    )


def correctable(seen: WindowCase) -> dict[tuple[str, str], str]:
    """(kind, id) → label of what a notice may name: the answers the case carries and the
    materials its summary lists."""
    found: dict[tuple[str, str], str] = {}
    if seen.matter is not None:
        for f in seen.matter.fields.values():
            if f.key and f.label and get(seen.case.answers, f.key) is not None:
                found[("answer", f.key)] = f.label
    for m in seen.case.summary.get("materials", []):
        found[("material", str(m.get("id")))] = str(m.get("name") or m.get("id"))
    return found


def extend(
    services: Services, member: StaffMember | None, case_no: str, days: int, reason: str
) -> Event:
    """延期 (行政许可法 §42): an approver of the case's region, with a reason, before the
    deadline, within the legal extension (``casework.clock.check_extension``, re-checked on
    the events inside the transaction)."""
    seen = open_case(services, member, case_no, evaluate=False)
    if member is None or not can_act(member, "approver", seen.case.region, None):
        raise WindowError("延期须由负责人批准：您没有该地区的负责人权限")
    limit = limit_of(seen.case, seen.matter)
    snapshot = services.registry.current if services.registry else None
    calendar = snapshot.calendar if snapshot else None
    today = china_today(services.clock)
    approver = actor_of(member)

    def allowed(events: Sequence[Any]) -> str | None:
        return check_extension(
            events, limit, calendar, today, days, approver=approver, reason=reason
        )

    refusal = allowed(seen.events)
    if refusal is not None:
        raise WindowError(refusal)
    data: dict[str, Any] = {"days": days, "reason": reason.strip()[:500], "approver": approver}
    due = deadline_after(services, seen, kinds.EXTENDED, data)
    if due:
        data["deadline"] = due
    done = services.store.cases.act(
        seen.case.case_no, kinds.EXTENDED, status=None, actor=approver, data=data,
        check=allowed, also=notify_writer(seen),
    )  # fmt: skip
    if isinstance(done, str):
        raise WindowError(done)
    return done
