"""电子监察: the supervision dashboard of a region, computed from the events (pure data).

Per region and department: open cases and open tasks by light; overdue cases; steps overdue
inside cases still on time (a task past its own deadline while the case's promise holds);
cases deemed accepted (§32: no window action within five working days); refusals with their
reasons (不予受理 at the window, 不予许可 by a department); the working days closed cases used
against those promised, per matter; the yellow and red cards the worker raised
(``casework.cards``). Every figure comes from the case clock (``casework.clock``) on the
events, as on the case page and in the queues, so they agree.

Scope: only supervisors and admins see it, and only their regions' cases
(``office.scope.region_prefixes``); anyone else, and a region filter outside the scope, is
:class:`~yijian.apply.errors.NotFound` (the web answers 404). The date range selects cases by
the day they were received. Personal data stays out: numbers, matters, reasons and dates.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date

from yijian.apply.errors import NotFound
from yijian.apply.services import Services
from yijian.calendar.clock import china_today
from yijian.office.scope import region_prefixes, significant
from yijian.office.supervision_figures import LIGHTS, Filters, Line, MatterTime, Row, Tally
from yijian.store.staff import StaffMember

__all__ = ["ROLES", "Dashboard", "Filters", "dashboard", "lines_csv", "rows_csv", "scope_of"]

ROLES = ("supervisor", "admin")
LIGHT_WORDS = {"red": "红灯", "yellow": "黄灯", "green": "绿灯", "paused": "暂停"}


@dataclass
class Dashboard:
    filters: Filters
    today: date
    scope: tuple[str, ...]
    rows: list[Row]
    total: Row
    lists: dict[str, list[Line]] = field(default_factory=dict)
    times: list[MatterTime] = field(default_factory=list)
    departments: list[tuple[str, str]] = field(default_factory=list)  # (id, name) choices
    matters: list[tuple[str, str]] = field(default_factory=list)


def scope_of(member: StaffMember | None, region: str = "") -> tuple[str, ...]:
    """The region prefixes the member supervises (narrowed to ``region``); NotFound if none."""
    prefixes = region_prefixes(member, ROLES)
    if not prefixes:
        raise NotFound()
    if not region:
        return prefixes
    try:
        wanted = significant(region)
    except ValueError:
        raise NotFound() from None
    if not any(wanted.startswith(p) for p in prefixes):
        raise NotFound()
    return (wanted,)


def dashboard(services: Services, member: StaffMember | None, filters: Filters) -> Dashboard:
    """Every figure of the page for ``filters`` within the member's scope."""
    prefixes = scope_of(member, filters.region)
    snapshot = services.registry.current if services.registry else None
    calendar = snapshot.calendar if snapshot else None
    today = china_today(services.clock)
    tally = Tally(services, filters, calendar, today)
    for w in services.store.watch.cases(
        prefixes,
        since=filters.since.isoformat() if filters.since else None,
        until=filters.until.isoformat() if filters.until else None,
        matters=[filters.matter] if filters.matter else None,
    ):
        tally.case(w)
    for t in services.store.watch.tasks(prefixes):
        tally.task(t)
    rows, total = tally.result()
    org = snapshot.org if snapshot else None
    names = {d.id: d.name for d in org.departments} if org else {}
    for r in rows:
        r.department_name = names.get(r.department, r.department or "未指定部门")
        r.region_name = _region_name(services, r.region)
    matters = sorted((m.id, m.name) for m in snapshot.matters.values()) if snapshot else []
    times = sorted(tally.times.values(), key=lambda t: t.matter)
    return Dashboard(
        filters, today, prefixes, rows, total, tally.lists, times, sorted(names.items()), matters
    )


def _region_name(services: Services, code: str) -> str:
    try:
        return services.regions.name(code)
    except (KeyError, LookupError, ValueError):
        return code


def rows_csv(d: Dashboard) -> str:
    """The figures by region and department, one row each, then the total (UTF-8 with BOM
    for spreadsheet programs that guess the encoding)."""
    out = io.StringIO()
    w = csv.writer(out)
    w.writerow(
        ["地区代码", "地区", "部门", *(f"办件{LIGHT_WORDS[x]}" for x in LIGHTS),
         *(f"环节{LIGHT_WORDS[x]}" for x in LIGHTS), "超期办件", "办件未超期而环节超期",
         "视为受理", "不予受理/不予许可", "黄牌", "红牌", "评价", "差评", "差评已整改"]
    )  # fmt: skip
    for r in [*d.rows, d.total]:
        name = r.department_name if r.region else "合计"
        w.writerow(
            [r.region, r.region_name, name, *(r.cases[x] for x in LIGHTS),
             *(r.tasks[x] for x in LIGHTS), r.overdue, r.late_steps, r.deemed, r.refusals,
             r.cards["yellow"], r.cards["red"], r.ratings, r.bad, r.rectified]
        )  # fmt: skip
    return "\ufeff" + out.getvalue()


def lines_csv(d: Dashboard) -> str:
    """Every listed case (超期, 环节超期, 视为受理, 不予受理/许可, 黄牌/红牌), one line each."""
    out = io.StringIO()
    w = csv.writer(out)
    w.writerow(["类别", "办件编号", "事项", "地区代码", "部门", "日期", "说明"])
    for lines in d.lists.values():
        for x in lines:
            w.writerow([x.what, x.case_no, x.matter, x.region, x.department, x.day, x.detail])
    return "\ufeff" + out.getvalue()
