"""好差评 actions: the citizen rates a closed case; a 差评 becomes the responsible department's
rectification task (回访, 整改, or 申诉复核 decided by a supervisor); an unrated case gets one
reminder. Each action is one event on the top-level case, checked inside its transaction
(``casework.rating``), with the queue rows settled in the same transaction, so a 差评 appears
in the department's queue the moment it is given.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from yijian.apply.cases import department_of
from yijian.apply.errors import NotFound
from yijian.apply.services import Services
from yijian.casework import rating
from yijian.office.scope import can_act, covers
from yijian.office.tasks import plan_of, rectify_due, settle
from yijian.office.window import actor_of, department_id, writer_for
from yijian.store import Case, Event
from yijian.store import events as event_log
from yijian.store.staff import StaffMember

__all__ = ["RatingError", "RatingView", "policy", "rate", "remind_unrated", "staff_act", "view"]


class RatingError(ValueError):
    """Not allowed now; the message says why (in Chinese)."""


@dataclass(frozen=True)
class RatingView:
    case: Case
    state: rating.RatingState
    department: str | None  # the responsible department's org id
    due: date | None
    may: set[str]


def policy(services: Services) -> Any:
    snapshot = services.registry.current if services.registry else None
    return snapshot.org.ratings if snapshot is not None and snapshot.org.ratings else None


def _due(services: Services, rated_on: date | None) -> date | None:
    return rectify_due(services, rated_on)


def _department(services: Services, case: Case) -> str | None:
    plan = plan_of(services, case)
    return department_id(services, department_of(case, plan.matter))


def _write(
    services: Services, case: Case, kind: str, data: dict[str, Any], actor: str,
    check: Callable[[list[Event]], str | None],
) -> Event:  # fmt: skip
    plan = plan_of(services, case)
    name = plan.matter.name if plan.matter else str(case.summary.get("matter_name") or "")
    notify = writer_for(case, name)

    def work(conn: Any, now: str) -> Event | str:
        refusal = check(event_log.list_events(conn, case.case_no))
        if refusal is not None:
            return refusal
        event = event_log.append(conn, case.case_no, kind, now, actor=actor, data=data)
        notify(conn, event)
        settle(conn, now, plan, notify)  # the queue rows, the 差评's among them
        return event

    done = services.store.cases.transact(work)
    if isinstance(done, str):
        raise RatingError(done)
    return done


def rate(
    services: Services, case: Case, actor: str, score: int, indicators: Mapping[str, int],
    comment: str, channel: str = "online",
) -> Event:  # fmt: skip
    """一事一评 (online, the applicant) or 一次一评 (at the window, recorded by the clerk)."""
    if score not in rating.GRADES:
        raise RatingError("请选择满意程度")
    graded = {
        k: int(v) for k, v in indicators.items() if k in rating.INDICATORS and v in rating.GRADES
    }
    data = {
        "score": score,
        "indicators": graded,
        "comment": comment.strip()[:500],
        "channel": channel,
    }
    check = rating.may_rate if channel == "online" else (lambda events: None)
    return _write(services, case, rating.RATED, data, actor, check)


def view(services: Services, member: StaffMember | None, case_no: str) -> RatingView:
    """The rating page of a case for staff of its responsible department (NotFound else)."""
    case = services.store.cases.get(case_no[:64])
    if case is None or case.parent_case_no is not None or member is None:
        raise NotFound()
    dept = _department(services, case)
    events = services.store.cases.events(case.case_no)
    state = rating.rating_of(events)
    mine = can_act(member, "reviewer", case.region, dept) or can_act(
        member, "approver", case.region, None
    )
    supervisor = (
        any(g.role == "supervisor" and covers(g.region, case.region) for g in member.grants)
        and not member.disabled
    )
    if not (mine or supervisor):
        raise NotFound()
    may = set()
    if mine and rating.may_revisit(events) is None:
        may.add("revisit")
    if mine and rating.may_rectify(events) is None:
        may.add("rectify")
    if mine and rating.may_appeal(events) is None:
        may.add("appeal")
    if supervisor and rating.may_decide_appeal(events) is None:
        may.add("decide")
    return RatingView(case, state, dept, _due(services, state.rated_on), may)


def staff_act(
    services: Services, member: StaffMember | None, case_no: str, action: str,
    note: str, upheld: bool = False,
) -> Event:  # fmt: skip
    seen = view(services, member, case_no)
    note = note.strip()[:1000]
    if not note:
        raise RatingError("请填写说明")
    checks = {
        "revisit": (rating.REVISITED, rating.may_revisit, {"note": note}),
        "rectify": (rating.RECTIFIED, rating.may_rectify, {"note": note}),
        "appeal": (rating.APPEALED, rating.may_appeal, {"reason": note}),
        "decide": (rating.APPEAL_DECIDED, rating.may_decide_appeal,
                   {"upheld": upheld, "note": note}),
    }  # fmt: skip
    if action not in checks or action not in seen.may:
        raise RatingError("您不能进行此操作，或该差评当前不需要此操作")
    kind, check, data = checks[action]
    assert member is not None
    return _write(services, seen.case, kind, data, actor_of(member), check)


def remind_unrated(services: Services, today: date) -> list[str]:
    """One reminder for each closed, unrated case past the county's days (the worker's chore)."""
    days = policy(services).remind_after_days if policy(services) else 3
    done = []
    for status in sorted(rating.RATEABLE):
        for case_no in services.store.cases.with_open_kind("submitted", status):
            events = services.store.cases.events(case_no)
            state = rating.rating_of(events)
            closed = date.fromisoformat(events[-1].at[:10])
            if state.score is not None or state.reminded or closed + timedelta(days=days) > today:
                continue
            case = services.store.cases.get(case_no)
            if case is None:
                continue
            try:
                _write(services, case, rating.REMINDED, {}, "system:worker", _unreminded)
            except RatingError:
                continue
            done.append(case_no)
    return done


def _unreminded(events: list[Event]) -> str | None:
    r = rating.rating_of(events)
    return "已提醒或已评价" if r.reminded or r.score is not None else None
