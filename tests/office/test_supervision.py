"""电子监察 figures on real cases of the example root, made through the window's own actions on
a real SQLite store, looked at later with the clock moved on; the yellow and red cards the
worker's chore raises (once); and who may see the page at all."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import casefixtures as cf
import pytest
import taskfixtures as tf

from yijian.apply.errors import NotFound
from yijian.apply.services import Services
from yijian.calendar.clock import CHINA_TZ
from yijian.casework import kinds
from yijian.office import window
from yijian.office.cards import raise_cards
from yijian.office.supervision import Filters, dashboard, lines_csv, rows_csv, scope_of
from yijian.runtime.regions import RegionTable
from yijian.store import Store

FOOD, SIGN, TOBACCO = "food-business-licence", "outdoor-signboard", "tobacco-retail-licence"
CLERK = tf.member(1, "wang", ("clerk", "442000", None))
WATCHER = tf.member(2, "jian", ("supervisor", "442000", None))
ADMIN = tf.member(3, "guan", ("admin", "442000", None))
FAR = tf.member(4, "yuan", ("supervisor", "110105", None))
REVIEWER = tf.member(5, "li", ("reviewer", "442000", "market"))
#: two weeks on: 国庆 (10-01..10-08) in between, 9-28 a make-up working day
LATER = datetime(2025, 10, 9, 10, 0, tzinfo=CHINA_TZ)


@pytest.fixture
def w(tmp_path: Path) -> Iterator[SimpleNamespace]:
    """Five cases received on Monday 2025-09-22: A accepted and running; B refused at the
    window; C left alone (deemed accepted after five working days); D accepted and approved on
    Friday; E accepted and denied on Friday. Then the clock moves to 2025-10-09."""
    now = [tf.MONDAY]

    def clock() -> datetime:
        return now[0]

    store = Store.open(tmp_path / "yijian.db", clock=clock)
    s = Services(tf.registry(), store, RegionTable.load(), "442000", clock=clock)
    a, b, c, d, e = (
        cf.submitted(s, m, tf.case_answers(m)) for m in (FOOD, SIGN, TOBACCO, FOOD, FOOD)
    )
    for case_no in (a, d, e):
        window.accept(s, CLERK, case_no)
    window.refuse(s, CLERK, b, "设置地点位于禁设区域", "《城市市容和环境卫生管理条例》第十一条")
    now[0] = datetime(2025, 9, 26, 16, 0, tzinfo=CHINA_TZ)
    _decide(s, d, "approved", "")
    _decide(s, e, "denied", "现场核查不符合要求")
    now[0] = LATER
    yield SimpleNamespace(s=s, a=a, b=b, c=c, d=d, e=e, now=now)
    store.close()


def _decide(s: Services, case_no: str, decision: str, reason: str) -> None:
    """The decision as a department's action writes it (``concluded`` on the case)."""
    data = {"step": "decide", "decision": decision, "opinion": "审查完毕", "reason": reason,
            "basis": "《食品经营许可和备案管理办法》" if reason else "", "approver": "staff:9:chen",
            "facts": {}}  # fmt: skip
    done = s.store.cases.act(
        case_no, kinds.CONCLUDED, status="concluded", actor="staff:9:chen", data=data,
        check=lambda events: None,
    )  # fmt: skip
    assert not isinstance(done, str)


def _cases(lines: list[Any]) -> set[str]:
    return {x.case_no for x in lines}


def test_the_figures_of_real_cases(w: SimpleNamespace) -> None:
    d = dashboard(w.s, WATCHER, Filters())
    assert d.today == date(2025, 10, 9) and d.scope == ("4420",)
    market = next(r for r in d.rows if r.department == "market")
    assert market.region == "442000" and market.department_name == "县市场监督管理局"
    # A runs on time (promised 10 working days: the last day is 10-11) ...
    assert market.cases["red"] == 0 and market.cases["green"] + market.cases["yellow"] == 1
    assert w.a not in _cases(d.lists["overdue"])
    # ... but its first step (书面审查, 2 working days: due 9-24) is late
    late = [x for x in d.lists["late_steps"] if x.case_no == w.a]
    assert len(late) == 1 and late[0].day == "2025-09-24" and "书面审查" in late[0].detail
    assert market.tasks["red"] >= 1 and market.late_steps >= 1
    # C: no window action within five working days (9-23..9-28): deemed accepted on receipt
    assert _cases(d.lists["deemed"]) == {w.c}
    # B refused at the window, E denied by the department, each with its reason
    refusals = {x.case_no: x for x in d.lists["refusals"]}
    assert set(refusals) == {w.b, w.e}
    assert refusals[w.b].what == "不予受理" and "禁设区域" in refusals[w.b].detail
    assert "第十一条" in refusals[w.b].detail
    assert refusals[w.e].what == "不予许可" and "现场核查不符合要求" in refusals[w.e].detail
    # D and E closed on Friday: 4 working days used (9-23..9-26) of 10 promised, on time
    food = next(t for t in d.times if t.matter == FOOD)
    assert (food.closed, food.average_used, food.average_promised, food.on_time) == (2, 4, 10, 2)
    assert d.total.refusals == 2 and d.total.deemed == 1
    assert d.lists["cards"] == []  # none raised yet


def test_the_worker_raises_each_card_once(w: SimpleNamespace) -> None:
    calendar = w.s.registry.current.calendar
    raised = raise_cards(w.s.store, calendar, date(2025, 10, 9))
    assert (w.a, "yellow", "review") in raised and (w.a, "red", "review") in raised
    assert all(case_no in (w.a, w.c) for case_no, _, _ in raised)  # closed cases get none
    assert raise_cards(w.s.store, calendar, date(2025, 10, 9)) == []
    cards = [e for e in w.s.store.cases.events(w.a) if e.kind == kinds.CARD_RAISED]
    red = next(e for e in cards if e.data["colour"] == "red")
    assert red.data["step"] == "review" and red.data["department"] == "market"
    assert red.actor == "system:worker" and "书面审查" in red.data["reason"]
    d = dashboard(w.s, WATCHER, Filters())
    assert {(x.case_no, x.what) for x in d.lists["cards"]} >= {(w.a, "红牌"), (w.a, "黄牌")}
    assert d.total.cards["red"] >= 1
    # later the case itself is late: its own red card, once
    after = raise_cards(w.s.store, calendar, date(2025, 10, 14))
    assert (w.a, "red", None) in after


def test_filters_narrow_every_figure(w: SimpleNamespace) -> None:
    only = dashboard(w.s, WATCHER, Filters(matter=TOBACCO))
    assert _cases(only.lists["deemed"]) == {w.c} and only.lists["refusals"] == []
    market = dashboard(w.s, WATCHER, Filters(department="market"))
    assert {r.department for r in market.rows} == {"market"}
    assert _cases(market.lists["refusals"]) == {w.e}
    none = dashboard(w.s, WATCHER, Filters(since=date(2025, 9, 23)))
    assert none.rows == [] and none.total.refusals == 0
    same = dashboard(w.s, WATCHER, Filters(region="442000", until=date(2025, 9, 22)))
    assert same.total.refusals == 2
    text = lines_csv(same)
    assert text.startswith("\ufeff类别,办件编号") and "禁设区域" in text and w.b in text
    assert "县市场监督管理局" in rows_csv(same) and "合计" in rows_csv(same)


def test_only_supervisors_and_admins_of_the_scope_see_it(w: SimpleNamespace) -> None:
    assert dashboard(w.s, ADMIN, Filters()).total.refusals == 2
    far = dashboard(w.s, FAR, Filters())  # another county's supervisor: nothing of ours
    assert far.rows == [] and far.total.refusals == 0 and far.scope == ("110105",)
    for member, region in ((FAR, "442000"), (WATCHER, "110105"), (WATCHER, "44x")):
        with pytest.raises(NotFound):
            dashboard(w.s, member, Filters(region=region))
    for member in (CLERK, REVIEWER, None):
        with pytest.raises(NotFound):
            scope_of(member)


def test_a_bundle_members_denial_counts_in_its_own_department(w: SimpleNamespace) -> None:
    bundle = cf.submitted(w.s, "restaurant-bundle", tf.case_answers("restaurant-bundle"))
    window.accept(w.s, CLERK, bundle)
    case = w.s.store.cases.get(bundle)
    members = {c.matter_id: c.case_no for c in case.children}
    sub = members[SIGN]  # 户外招牌: 县住房和城乡建设局（城市管理）, not the lead (市场监管)
    _decide(w.s, sub, "denied", "招牌位于禁设区域")
    urban = dashboard(w.s, WATCHER, Filters(department="urban"))
    line = next(x for x in urban.lists["refusals"] if x.case_no == sub)
    assert (line.department, line.what, line.matter) == ("urban", "不予许可", "户外招牌设施设置")
    market = dashboard(w.s, WATCHER, Filters(department="market"))
    assert sub not in _cases(market.lists["refusals"])
