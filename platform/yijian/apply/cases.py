"""Reading a case as the citizen and staff see it: status words, department, promise, sub-cases.

Pure over a case and its pinned definition (looked up through the registry, else the current
version, else the summary stored at submission), so the citizen's case page, 我的办件 and the
back office say the same thing.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from yijian.apply.services import Services
from yijian.casework.clock import CaseClock, case_clock
from yijian.casework.rating import GRADES, INDICATORS, may_rate, rating_of
from yijian.casework.timeline import STATUS_TEXT, next_action, result_of, steps
from yijian.compiled.matter import CompiledMatter
from yijian.defs.common import CaseType, TimeUnit
from yijian.runtime.deadline import PromisedLimit, promised_limit
from yijian.store.cases import Case


def pinned_matter(services: Services, matter_id: str, version: str) -> CompiledMatter | None:
    """The definition a draft or case is pinned to, else the current one, else None."""
    if services.registry is None:  # an app serving case pages without definitions
        return None
    pinned = services.registry.version(matter_id, version)
    if pinned is not None:
        return pinned
    snapshot = services.registry.current
    return snapshot.matter(matter_id) if snapshot is not None else None


def members_of(matter: CompiledMatter | None) -> dict[str, str]:
    return {m.id: m.name for m in matter.members} if matter else {}


def status_of(case: Case) -> dict[str, str]:
    text, colour = STATUS_TEXT.get(case.status, (case.status, "grey"))
    return {"text": text, "colour": colour}


def department_of(case: Case, matter: CompiledMatter | None) -> str | None:
    """The department answering for the case: as the summary stored it at submission (a
    bundle's 牵头部门, a matter's 实施主体), else the pinned definition's, else the departments
    of the summary's steps (cases submitted before the summary said so)."""
    stored = case.summary.get("department")
    if isinstance(stored, str) and stored:
        return stored
    d: Any = getattr(matter, "definition", None)  # optional, as on the receipt
    if d is not None:
        name = getattr(d, "lead_department", None) or getattr(
            getattr(d, "department", None), "name", None
        )
        if isinstance(name, str) and name:
            return name
    steps = case.summary.get("steps")
    names = [
        str(x["department"])
        for x in (steps if isinstance(steps, list) else [])
        if isinstance(x, dict) and x.get("department")
    ]
    return "、".join(dict.fromkeys(names)) or None


def day_text(iso: Any) -> str | None:
    try:
        d = date.fromisoformat(str(iso))
    except ValueError:
        return None
    return f"{d.year} 年 {d.month} 月 {d.day} 日"


def promise_text(summary: dict[str, Any]) -> str | None:
    """承诺办结 as the citizen reads it: the promised limit and, where the calendar gave one,
    the date it falls on (the summary's ``deadline``, computed at submission)."""
    days = summary.get("promised_days")
    if not isinstance(days, int) or isinstance(days, bool) or days < 0:
        return None
    if days == 0:
        return "当场办结"
    unit = "个工作日" if summary.get("promised_workdays", True) else "个自然日"
    due = day_text(summary.get("deadline"))
    return f"{days} {unit}" + (f"，{due}前" if due else "")


def next_words(case: Case, matter: CompiledMatter | None) -> dict[str, Any]:
    """What 接下来 on a submitted case says follows the matter's kind and promise: a 即办件 (or a
    promise of 0 days) is reviewed and decided the day it is received, so it is not told of the
    5 working days the window has under 第三十二条; a 承诺件 hears those and its own limit."""
    limit = limit_of(case, matter)
    kind = getattr(getattr(matter, "matter", None), "case_type", None)
    immediate = None
    if limit is not None and limit.days == 0:
        immediate = "当场办结"
    elif kind == CaseType.即办件:
        immediate = "当日办结"  # a 即办件 promised 1 day (yijian check allows 0 or 1)
    promised = None
    if limit is not None and immediate is None:
        unit = "个工作日" if limit.workdays else "个自然日"
        promised = f"{limit.days} {unit}"
    return {"immediate": immediate, "promised": promised}


def limit_of(case: Case, matter: CompiledMatter | None) -> PromisedLimit | None:
    """The promised limit the case was submitted under: its summary's, else its definition's."""
    days = case.summary.get("promised_days")
    if isinstance(days, int) and not isinstance(days, bool):
        unit = TimeUnit.工作日 if case.summary.get("promised_workdays", True) else TimeUnit.自然日
        return PromisedLimit(days, unit)
    return promised_limit(matter) if matter is not None else None


def clock_of(
    services: Services, case: Case, events: list[Any], matter: CompiledMatter | None
) -> CaseClock | None:
    """The case clock today (None for a case without events, e.g. a sub-case listed inside)."""
    if not events:
        return None
    snapshot = services.registry.current if services.registry is not None else None
    calendar = snapshot.calendar if snapshot is not None else None
    return case_clock(events, limit_of(case, matter), calendar, services.context().today)


def _clock_text(clock: CaseClock | None) -> dict[str, Any] | None:
    """The promise as the applicant reads it once the clock runs: the date and days left."""
    if clock is None or clock.accepted_on is None or clock.closed:
        return None
    if clock.paused:
        return {"text": "办理时限暂停计算（特别程序或补正期间不计入）", "light": "paused"}
    if clock.deadline is None:
        return None
    if clock.deadline == clock.accepted_on:  # a promise of 0 days: 即办
        return {"text": "当场办结", "light": clock.light}
    due = day_text(clock.deadline.isoformat())
    left = clock.days_left if clock.days_left is not None else 0
    text = f"{due}前办结" + (f"（还剩 {left} 个工作日）" if left >= 0 else "（已超期）")
    return {"text": text, "light": clock.light}


DEEMED_TITLE = "依法视为受理"


def _calendar(services: Services) -> Any:
    snapshot = services.registry.current if services.registry is not None else None
    return snapshot.calendar if snapshot is not None else None


def _with_deemed(
    timeline: list[dict[str, Any]], clock: CaseClock | None, calendar: Any
) -> list[dict[str, Any]]:
    """The timeline with 依法视为受理 on the day of receipt when the window let §32's five
    working days pass (no action, or a late one such as a correction notice on the 6th day,
    reference §6.7 case 7): the case counts as accepted that day and the promise runs from the
    next working day, which the step names. No event says so; the clock reads it."""
    if clock is None or not clock.deemed_accepted or clock.accepted_on is None:
        return timeline
    received = clock.accepted_on
    detail = (
        "窗口未在收到申请后 5 个工作日内受理、不予受理或一次性告知补正，"
        "依《行政许可法》第三十二条，自收到申请材料之日起视为受理"
    )
    try:
        first = calendar.add_workdays(received, 1) if calendar is not None else None
    except LookupError:
        first = None
    if first is not None:
        detail += f"；承诺办结时限自 {day_text(first.isoformat())}起计算"
    step = {"title": DEEMED_TITLE, "on": day_text(received.isoformat()),
            "day": received.isoformat(), "detail": detail, "notice": None, "seq": None}  # fmt: skip
    at = next((i for i, x in enumerate(timeline) if x["day"] > received.isoformat()), None)
    return [*timeline[:at], step, *timeline[at:]] if at is not None else [*timeline, step]


def _result_document(matter: CompiledMatter | None, events: list[Any]) -> dict[str, Any] | None:
    """The result (证照/批文) an approval produced, to download."""
    result = getattr(getattr(matter, "matter", None), "result", None)
    if result is None:
        return None
    for e in reversed(events):
        if e.kind == "concluded" and (e.data or {}).get("decision") == "approved":
            return {"title": result.name, "seq": e.seq}
    return None


def _decision_notice(events: list[Any]) -> dict[str, Any] | None:
    """A member's 准予/不予行政许可决定书 (on its sub-case's chain), to download."""
    for x in reversed(steps(events)):
        if x.kind == "concluded" and x.notice:
            return {"title": x.notice, "seq": x.seq}
    return None


def _rating(events: list[Any]) -> dict[str, Any]:
    """好差评 on the case page: whether it can be rated now, and the rating given."""
    state = rating_of(events)
    return {
        "may": may_rate(events) is None,
        "score": state.score,
        "text": GRADES.get(state.score or 0),
        "grades": sorted(GRADES.items(), reverse=True),
        "indicators": list(INDICATORS.items()),
    }


def _decided(status: dict[str, str], events: list[Any]) -> dict[str, str]:
    """A refused member reads 不予许可 (red), not 已办结: 办结 with a refusal is still a no."""
    last = next((e for e in reversed(events) if e.kind == "concluded"), None)
    if last is not None and (last.data or {}).get("decision") == "denied":
        return {"text": "不予许可", "colour": "red"}
    return status


def case_view(
    services: Services, case: Case, names: dict[str, str] | None = None
) -> dict[str, Any]:
    """What the templates show of a case; sub-matters are named by their bundle's members.

    Each case, sub-cases included, says which department handles it and by when (from its
    own summary): a bundle's sub-cases run in different departments on their own clocks.
    """
    matter = pinned_matter(services, case.matter_id, case.version)
    if names is None and matter is None and case.parent_case_no:
        parent = services.store.cases.get(case.parent_case_no)
        if parent is not None:
            names = members_of(pinned_matter(services, parent.matter_id, parent.version))
    name = (names or {}).get(case.matter_id) or (
        matter.name if matter else str(case.summary.get("matter_name") or case.matter_id)
    )
    members = members_of(matter)
    own = services.store.cases.events(case.case_no)
    events = own if case.parent_case_no is None else []
    clock = clock_of(services, case, events, matter)
    return {
        "case_no": case.case_no,
        "name": name,
        "submitted": case.submitted_at[:16].replace("T", " "),
        "status": _decided(status_of(case), own),
        "bundle": bool(case.children) or case.summary.get("kind") == "bundle",
        "department": department_of(case, matter),
        "promise": promise_text(case.summary),
        "children": [case_view(services, child, members) for child in case.children],
        "result": result_of(own) if case.parent_case_no else None,
        "decision_notice": _decision_notice(own) if case.parent_case_no else None,
        "result_document": _result_document(matter, own),
        "timeline": _with_deemed(
            [
                {
                    "title": x.title,
                    "on": day_text(x.on),
                    "day": x.on,
                    "detail": x.detail,
                    "notice": x.notice,
                    "seq": x.seq,
                }
                for x in steps(events)
            ],
            clock,
            _calendar(services),
        ),
        "next": next_action(events),
        "next_words": next_words(case, matter),
        "deemed_on": (
            day_text(clock.accepted_on.isoformat())
            if clock is not None and clock.deemed_accepted and clock.accepted_on
            else None
        ),
        "assisted": bool(case.summary.get("assisted")),
        "clock": _clock_text(clock),
        "rating": _rating(events) if case.parent_case_no is None else None,
    }
