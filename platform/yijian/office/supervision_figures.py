"""The arithmetic of 电子监察 (``office.supervision``): one pass over the watched cases and
the open tasks, adding each to its region × department row and to the lists.

Why separate: the page's module stays the scope and the shape; this one is the counting, a
plain fold a test can drive case by case. Lights, deadlines and "deemed accepted" come from
the case clock on the events (``casework.clock``); a step's light from its own due date.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from yijian.apply.cases import department_of, limit_of, pinned_matter
from yijian.apply.services import Services
from yijian.casework import kinds
from yijian.casework.clock import case_clock, light
from yijian.casework.facts import day_of
from yijian.casework.rating import GRADES, rating_of
from yijian.office.window import department_id
from yijian.store import Case

__all__ = ["LIGHTS", "OPEN", "Filters", "Line", "MatterTime", "Row", "Tally"]

OPEN = ("submitted", "correction", "accepted")
LIGHTS = ("red", "yellow", "green", "paused")
CLOSED_OK = ("concluded", "delivered")


@dataclass(frozen=True)
class Filters:
    region: str = ""  # a region code within the member's scope ("": all of it)
    department: str = ""  # org department id
    matter: str = ""  # matter or bundle id
    since: date | None = None  # received on or after
    until: date | None = None  # received on or before


@dataclass
class Row:
    """One region × department."""

    region: str
    department: str
    region_name: str = ""
    department_name: str = ""
    cases: dict[str, int] = field(default_factory=lambda: dict.fromkeys(LIGHTS, 0))
    tasks: dict[str, int] = field(default_factory=lambda: dict.fromkeys(LIGHTS, 0))
    overdue: int = 0
    late_steps: int = 0
    deemed: int = 0
    refusals: int = 0
    cards: dict[str, int] = field(default_factory=lambda: {"yellow": 0, "red": 0})
    ratings: int = 0  # online ratings that count (an upheld appeal takes one out)
    bad: int = 0  # 差评 among them
    rectified: int = 0  # 差评 put right

    @property
    def satisfaction(self) -> str:
        """满意率: ratings of 3 and above, over the ratings that count."""
        return f"{(self.ratings - self.bad) * 100 // self.ratings}%" if self.ratings else "—"


@dataclass(frozen=True)
class Line:
    """A case in one of the lists: what, where, when, and the reason or detail."""

    case_no: str
    matter: str
    region: str
    department: str
    day: str
    what: str
    detail: str = ""


@dataclass
class MatterTime:
    matter: str
    name: str
    unit: str  # 工作日 / 自然日
    closed: int = 0
    used: int = 0  # summed; ``average_used`` divides
    promised: int = 0
    on_time: int = 0

    @property
    def average_used(self) -> float:
        return round(self.used / self.closed, 1) if self.closed else 0.0

    @property
    def average_promised(self) -> float:
        return round(self.promised / self.closed, 1) if self.closed else 0.0


class Tally:
    """Adds cases (``case``) and tasks (``task``) up; ``result`` gives the rows and lists."""

    def __init__(self, services: Services, filters: Filters, calendar: Any, today: date):
        self.services, self.filters, self.calendar, self.today = services, filters, calendar, today
        self.rows: dict[tuple[str, str], Row] = {}
        self.lights: dict[str, str] = {}  # case number -> the case's light
        self.matter_of: dict[str, str] = {}  # case number -> matter id
        self.running: set[str] = set()  # selected cases still open
        self.lists: dict[str, list[Line]] = {
            k: [] for k in ("overdue", "late_steps", "deemed", "refusals", "cards", "bad_ratings")
        }
        self.times: dict[str, MatterTime] = {}
        self.names: dict[str, str] = {}

    def row(self, region: str, department: str) -> Row:
        key = (region, department)
        if key not in self.rows:
            self.rows[key] = Row(region, department)
        return self.rows[key]

    def _wanted(self, department: str) -> bool:
        return not self.filters.department or department == self.filters.department

    def _name(self, matter_id: str, matter: Any = None) -> str:
        if matter_id not in self.names:
            if matter is None:
                snap = self.services.registry.current if self.services.registry else None
                matter = snap.matter(matter_id) if snap else None
            self.names[matter_id] = matter.name if matter is not None else matter_id
        return self.names[matter_id]

    def case(self, w: Any) -> None:
        dept, limit, matter = department_and_limit(self.services, w)
        clock, colour = clock_light(w, limit, self.calendar, self.today)
        self.lights[w.case_no], self.matter_of[w.case_no] = colour, w.matter_id
        if w.status in OPEN:
            self.running.add(w.case_no)  # its tasks count, whatever the department filter
        name = self._name(w.matter_id, matter)
        self._members(w, dept)
        self._cards(w, dept, name)
        if not self._wanted(dept):
            return
        row = self.row(w.region, dept)

        def line(kind: str, what: str, day: str, detail: str = "") -> None:
            self.lists[kind].append(Line(w.case_no, name, w.region, dept, day, what, detail))

        if w.status in OPEN and colour in row.cases:
            row.cases[colour] += 1
            if colour == "red":
                row.overdue += 1
                due = clock.deadline.isoformat() if clock.deadline else ""
                line("overdue", "已超期", due, f"承诺期限 {due}")
        if clock.deemed_accepted:
            row.deemed += 1
            received = clock.received_on.isoformat()
            line("deemed", "视为受理", received, "收件后五个工作日内未作受理、补正或不予受理")
        for e in w.events:
            if e.kind == kinds.REFUSED:
                row.refusals += 1
                line("refusals", "不予受理", event_day(e), _reason(e.data))
            elif e.kind == kinds.CONCLUDED and e.data.get("decision") == "denied":
                row.refusals += 1
                line("refusals", "不予许可", event_day(e), _reason(e.data))
        if w.status in CLOSED_OK and limit is not None and clock.accepted_on is not None:
            self._closed(w, name, limit, clock)
        self._rating(w, row, line)

    def _rating(self, w: Any, row: Row, line: Any) -> None:
        """好差评: the case's online rating; a 差评 is listed with where its rectification is."""
        r = rating_of(w.events)
        if not r.counts:
            return
        row.ratings += 1
        if r.bad:
            row.bad += 1
            row.rectified += r.rectified
            where = ("已整改" if r.rectified else "申诉复核中" if r.appealed
                     else "已回访，待整改" if r.revisited else "待回访")  # fmt: skip
            day = r.rated_on.isoformat() if r.rated_on else ""
            line("bad_ratings", "差评", day, f"{GRADES[r.score or 1]}；{where}")

    def _members(self, w: Any, lead: str) -> None:
        """A bundle member's 不予许可, on its sub-case, in the member's own department."""
        for sub, events in w.children.items():
            denials = [
                e for e in events
                if e.kind == kinds.CONCLUDED and e.data.get("decision") == "denied"
            ]  # fmt: skip
            if not denials:
                continue
            member_id = w.child_matters.get(sub, "")
            dept = self._department_of(member_id) or lead
            if not self._wanted(dept):
                continue
            row, name = self.row(w.region, dept), self._name(member_id)
            for e in denials:
                row.refusals += 1
                line = Line(sub, name, w.region, dept, event_day(e), "不予许可", _reason(e.data))
                self.lists["refusals"].append(line)

    def _cards(self, w: Any, dept: str, name: str) -> None:
        """Cards, each in its step's department (the case's own: the case's department)."""
        for e in w.events:
            colour = str(e.data.get("colour")) if e.kind == kinds.CARD_RAISED else ""
            where = str(e.data.get("department") or dept)
            if colour not in ("yellow", "red") or not self._wanted(where):
                continue
            self.row(w.region, where).cards[colour] += 1
            what = "红牌" if colour == "red" else "黄牌"
            detail = str(e.data.get("reason") or "")
            self.lists["cards"].append(
                Line(w.case_no, name, w.region, where, event_day(e), what, detail)
            )

    def _department_of(self, matter_id: str) -> str | None:
        """A member matter's department id (its 实施主体 in rules/org.yaml), if known."""
        snap = self.services.registry.current if self.services.registry else None
        matter = snap.matter(matter_id) if snap is not None else None
        found = snap.org.department_of(matter) if snap is not None and matter else None
        return found.id if found is not None else None

    def _closed(self, w: Any, name: str, limit: Any, clock: Any) -> None:
        done = close_of(w.events)
        if done is None:
            return
        end, start = day_of(done), clock.accepted_on
        try:
            used = (
                self.calendar.workdays_between(start, end)
                if limit.workdays and self.calendar is not None
                else (end - start).days
            )
        except LookupError:
            return
        used = max(0, used - clock.suspended_days)
        unit = "工作日" if limit.workdays else "自然日"
        t = self.times.setdefault(w.matter_id, MatterTime(w.matter_id, name, unit))
        t.closed += 1
        t.used += used
        t.promised += limit.days
        t.on_time += int(clock.deadline is None or end <= clock.deadline)

    def task(self, t: Any) -> None:
        """An open task of a case in the selection (the case filters apply to its tasks)."""
        if t.case_no not in self.running or not self._wanted(t.department):
            return  # not selected, closed (a projection lagging behind), or another department
        colour = task_light(t.due, self.calendar, self.today)
        row = self.row(t.region, t.department)
        if t.state == "suspended":
            colour = "paused"
        if colour in row.tasks:
            row.tasks[colour] += 1
        late = bool(t.due) and date.fromisoformat(t.due) < self.today
        if late and t.state != "suspended" and self.lights[t.case_no] != "red":
            row.late_steps += 1
            name = self._name(self.matter_of[t.case_no])
            detail = f"环节“{t.name}”期限 {t.due}，办件仍在承诺期限内"
            line = Line(t.case_no, name, t.region, t.department, t.due, "环节超期", detail)
            self.lists["late_steps"].append(line)

    def result(self) -> tuple[list[Row], Row]:
        """The rows (by region, then department) and their total."""
        rows = [self.rows[k] for k in sorted(self.rows)]
        total = Row("", "")
        for r in rows:
            for name in ("cases", "tasks", "cards"):
                for k, v in getattr(r, name).items():
                    getattr(total, name)[k] += v
            for name in (
                "overdue",
                "late_steps",
                "deemed",
                "refusals",
                "ratings",
                "bad",
                "rectified",
            ):
                setattr(total, name, getattr(total, name) + getattr(r, name))
        return rows, total


def _reason(data: dict[str, Any]) -> str:
    reason, basis = str(data.get("reason") or ""), str(data.get("basis") or "")
    return f"{reason}（依据：{basis}）" if basis else reason


def case_of(w: Any) -> Case:
    """The fields ``limit_of`` and ``department_of`` read, from a watched case."""
    return Case(
        w.case_no, None, "", None, w.matter_id, w.version, {}, w.summary, w.status,
        w.submitted_at, w.region,
    )  # fmt: skip


def department_and_limit(services: Services, w: Any) -> tuple[str, Any, Any]:
    """(department id, promised limit, pinned matter) of a watched case."""
    case = case_of(w)
    matter = pinned_matter(services, w.matter_id, w.version)
    dept = department_id(services, department_of(case, matter)) or ""
    return dept, limit_of(case, matter), matter


def clock_light(w: Any, limit: Any, calendar: Any, today: date) -> tuple[Any, str]:
    """(case clock, its light): the §32 window's light while the case waits there."""
    clock = case_clock(w.events, limit, calendar, today)
    if w.status in ("submitted", "correction") and clock.accepted_on is None:
        return clock, clock.window_light
    return clock, clock.light


def task_light(due: str, calendar: Any, today: date) -> str:
    return light(today, date.fromisoformat(due), calendar) if due else "none"


def event_day(e: Any) -> str:
    return day_of(e).isoformat()


def close_of(events: list[Any]) -> Any:
    """The top-level case's conclusion (办结) event, if any."""
    return next((e for e in events if e.kind == kinds.CONCLUDED), None)
