"""A department's queue (部门待办): its open tasks in the reviewer's regions, most urgent first.

Which departments: those of the member's reviewer grants; an approver, supervisor or window
clerk (who works the steps whose post is a window's) picks any department of the organisation
(``?department=``), within their regions. Rows come from the
``tasks`` table (a projection of the task fold, ``office.tasks``), a keyset page at a time, so
page 1 and page 2,000 of 100,000 open tasks cost the same (bench_tasks). The light is the
step's own deadline against today: red overdue (or no calendar to count it), yellow due today
or on the next working day, green otherwise.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from yijian.apply.services import Services
from yijian.calendar.clock import china_today
from yijian.casework.taskclock import light_of
from yijian.office.scope import region_prefixes
from yijian.store.staff import StaffMember
from yijian.store.tasks import TaskRow

__all__ = ["TaskItem", "TaskPage", "departments_of", "task_queue"]

PER_PAGE = 50
LIGHT_WORDS = {"green": "正常", "yellow": "即将到期", "red": "已超期"}
STATE_WORDS = {"open": "待认领", "claimed": "已认领", "suspended": "暂停中"}


@dataclass(frozen=True, slots=True)
class TaskItem:
    href: str
    case_no: str
    matter: str
    step: str
    state: str
    claimed_by: str
    due: str
    light: str
    light_text: str


@dataclass(frozen=True, slots=True)
class TaskPage:
    department: str | None
    department_name: str
    departments: list[tuple[str, str]]  # (id, name) the member may open
    items: list[TaskItem]
    next_cursor: str | None
    mine: bool


def departments_of(services: Services, member: StaffMember | None) -> list[tuple[str, str]]:
    """(id, name) of the departments whose queue the member may open."""
    snapshot = services.registry.current if services.registry else None
    org = snapshot.org if snapshot is not None else None
    known = {d.id: d.name for d in org.departments} if org is not None else {}
    if member is None or member.disabled:
        return []
    if any(g.role in ("approver", "supervisor", "clerk") for g in member.grants):
        return sorted(known.items())
    own = {g.department for g in member.grants if g.role == "reviewer" and g.department}
    return sorted((d, known.get(d, d)) for d in own)


def task_href(row: TaskRow) -> str:
    if row.kind == "rectify":  # a 差评's 回访/整改 (office.ratings)
        return f"/staff/ratings/{row.case_no}"
    if row.kind == "check":  # 告知承诺 核查 (office.commitment), on the deciding (sub-)case
        return f"/staff/checks/{row.owner_case_no}"
    owner = row.matter_id if row.owner_case_no != row.case_no else "-"
    return f"/staff/tasks/{row.case_no}/{owner}/{row.step}"


def task_queue(
    services: Services,
    member: StaffMember | None,
    department: str | None,
    after: str | None,
    mine: bool = False,
) -> TaskPage:
    allowed = departments_of(services, member)
    ids = [d for d, _ in allowed]
    chosen = department if department in ids else (ids[0] if ids else None)
    if chosen is None or member is None:
        return TaskPage(None, "", allowed, [], None, mine)
    prefixes = region_prefixes(member, ("reviewer", "approver", "supervisor", "clerk"), chosen)
    who = f"staff:{member.id}:{member.login}" if mine else None
    rows = services.store.tasks.queue(chosen, prefixes, after=after, limit=PER_PAGE + 1, mine=who)
    more = len(rows) > PER_PAGE
    rows = rows[:PER_PAGE]
    snapshot = services.registry.current if services.registry else None
    calendar = snapshot.calendar if snapshot else None
    today = china_today(services.clock)
    items = [_item(services, r, calendar, today) for r in rows]
    cursor = rows[-1].cursor if more and rows else None
    name = dict(allowed).get(chosen, chosen)
    return TaskPage(chosen, name, allowed, items, cursor, mine)


def _item(services: Services, r: TaskRow, calendar: object, today: date) -> TaskItem:
    due = date.fromisoformat(r.due) if r.due else None
    light = light_of(due, today, calendar)
    snapshot = services.registry.current if services.registry else None
    m = snapshot.matter(r.matter_id) if snapshot is not None else None
    return TaskItem(
        href=task_href(r),
        case_no=r.case_no,
        matter=m.name if m is not None else r.matter_id,
        step=r.name,
        state=STATE_WORDS.get(r.state, r.state),
        claimed_by=(r.claimed_by or "").split(":", 2)[-1],
        due=r.due or "无法计算（缺少工作日历）",
        light=light,
        light_text=LIGHT_WORDS[light],
    )
