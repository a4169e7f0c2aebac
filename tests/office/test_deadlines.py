"""The worker's calendar re-check records a moved deadline once, as an event (office.deadlines)."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from yijian.calendar import WorkCalendar
from yijian.calendar.clock import fixed_clock
from yijian.calendar.model import CalendarYear
from yijian.office.deadlines import recheck_deadlines
from yijian.store import Store
from yijian.store.db import CHINA_TZ

REPO = Path(__file__).resolve().parents[2]
CAL = WorkCalendar.load(REPO / "rules" / "calendar")


def _corrected() -> WorkCalendar:
    y2026 = next(y for y in CAL.sources if y.year == 2026).model_dump(by_alias=True)
    extra = {"name": "示例", "from": "2026-03-10", "to": "2026-03-10"}
    fixed = CalendarYear.model_validate({**y2026, "holidays": [*y2026["holidays"], extra]})
    return WorkCalendar.from_years([y for y in CAL.sources if y.year != 2026] + [fixed])


def test_a_moved_deadline_is_recorded_once(tmp_path: Path) -> None:
    store = Store.open(
        tmp_path / "y.db", clock=fixed_clock(datetime(2026, 3, 2, 10, tzinfo=CHINA_TZ))
    )
    draft = store.drafts.create("m", "v", None)
    case = store.cases.submit(draft, {}, {"promised_days": 10, "matter_name": "示例"}, "442000")
    store.cases.append_event(case.case_no, "accepted", status="accepted", actor="s",
                             data={"deadline": "2026-03-16"})  # fmt: skip
    today = date(2026, 3, 5)
    assert recheck_deadlines(store, CAL, today) == []
    assert recheck_deadlines(store, _corrected(), today) == [case.case_no]
    assert recheck_deadlines(store, _corrected(), today) == []  # once
    last = store.cases.events(case.case_no)[-1]
    assert (last.kind, last.data) == (
        "calendar_changed",
        {"was": "2026-03-16", "now": "2026-03-17"},
    )
    assert last.actor == "system:worker" and store.cases.verify_chain(case.case_no)
    store.close()
