"""告知承诺 核查 recorded by the checking department; a false commitment revokes the decision.

After an approving decision on a commitment (``casework.commitment``), a reviewer or approver
of the commitment's ``check_department`` in the case's region records what the check found:
one ``commitment_checked`` event ``{"true", "opinion", "department"}`` on the chain that holds
the decision (a single matter's case, a bundle member's sub-case). When the commitment was
false, the same transaction appends ``revoked`` (status revoked: the decision no longer
stands; 国办发〔2020〕42号: 撤销决定并记入信用), writes the applicant's notice into the outbox
(``notify.messages``), hands the revocation to the supervising department (审管联动,
``office.handoff``) and sets the credit flag (``store.credit``) that bars 容缺受理 and 告知承诺
next time. The state is checked inside the transaction: a second check, a check before the
decision or after a refusal changes nothing and says why (:class:`CheckError`).

Scope: a case outside the member's scope is :class:`~yijian.apply.errors.NotFound` (404).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from yijian.apply import commitments as citizen_commitments
from yijian.apply.cases import pinned_matter
from yijian.apply.errors import NotFound
from yijian.apply.services import Services
from yijian.casework import kinds
from yijian.casework.commitment import refusal
from yijian.office.handoff import handoff_writer
from yijian.office.scope import can_act, can_see
from yijian.office.tasks import plan_of, settle
from yijian.office.window import actor_of, department_id, writer_for
from yijian.store import Case, Event
from yijian.store import events as event_log
from yijian.store.credit import flag_in
from yijian.store.staff import StaffMember

__all__ = ["BASIS", "CheckError", "Checked", "open_check", "record_check"]

BASIS = "《国务院办公厅关于全面推行证明事项告知承诺制的指导意见》（国办发〔2020〕42号）"


class CheckError(ValueError):
    """A check that cannot be recorded now; the message says why, for the reviewer."""


@dataclass(frozen=True)
class Checked:
    """What was recorded: the check, and the revocation when the commitment was false."""

    check: Event
    revoked: Event | None


@dataclass(frozen=True)
class CheckCase:
    """A case as the checking department sees it."""

    case: Case
    top: Case  # the application (the case itself for a single matter)
    department: str | None  # org id of the check department
    events: list[Event]
    may_act: bool


def open_check(services: Services, member: StaffMember | None, case_no: str) -> CheckCase:
    """The case whose commitments the member's department checks; NotFound outside scope
    or when the case made no commitment."""
    store = services.store
    case = store.cases.get(case_no[:64])
    if case is None or not case.summary.get("commitments") or case.summary.get("kind") == "bundle":
        raise NotFound()  # a bundle's members are checked on their sub-cases
    top = store.cases.get(case.parent_case_no) if case.parent_case_no else case
    if top is None:
        raise NotFound()
    wanted = case.summary["commitments"][0].get("check_department")
    dept = department_id(services, str(wanted)) if wanted else None
    if not can_see(member, top.region, dept):
        raise NotFound()
    may = can_act(member, "reviewer", top.region, dept) or can_act(
        member, "approver", top.region, None
    )
    return CheckCase(case, top, dept, store.cases.events(case.case_no), may)


def record_check(
    services: Services,
    member: StaffMember | None,
    case_no: str,
    true: bool,
    opinion: str,
) -> Checked:
    """Record the 核查 of ``case_no``'s commitments (see the module doc)."""
    seen = open_check(services, member, case_no)
    if member is None or not seen.may_act:
        raise CheckError("您没有该办件核查部门在本地区的审查权限，只能查看")
    opinion = opinion.strip()[:2000]
    if not opinion:
        raise CheckError("请填写核查意见")
    case, top = seen.case, seen.top
    matter = pinned_matter(services, case.matter_id, case.version)
    name = matter.name if matter else str(case.summary.get("matter_name") or "")
    notify = writer_for(case, name)
    handoff = handoff_writer(services, case, matter)
    people = citizen_commitments.subjects(case.answers, top.summary.get("applicant"))
    actor = actor_of(member)
    data = {"true": bool(true), "opinion": opinion, "department": seen.department}
    plan = plan_of(services, top)  # the queue rows are rewritten with the check

    def work(conn: Any, now: str) -> Checked | str:
        events = event_log.list_events(conn, case.case_no)
        why = refusal(events)
        if why is not None:
            return why
        check = event_log.append(conn, case.case_no, kinds.COMMITMENT_CHECKED, now,
                                 status=None, actor=actor, data=data)  # fmt: skip
        if true:
            settle(conn, now, plan)
            return Checked(check, None)
        reason = f"经核查，申请人的告知承诺与实际情况不符：{opinion}"
        revoked = event_log.append(
            conn, case.case_no, kinds.REVOKED, now, status=kinds.STATUS[kinds.REVOKED],
            actor=actor, data={"reason": reason[:2000], "basis": BASIS},
        )  # fmt: skip
        notify(conn, revoked)
        handoff(conn, revoked)
        for person in people:
            flag_in(conn, person, case.case_no, now)
        settle(conn, now, plan)
        return Checked(check, revoked)

    done = services.store.cases.transact(work)
    if isinstance(done, str):
        raise CheckError(done)
    return done
