"""§6.7 case 7 of the newborn bundle: the window's correction notice comes on the 6th working
day, after §32's five — the application counts as accepted on the day it was received
(视为受理), its promise runs from the next working day, and the applicant reads both."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from taskfixtures import MONDAY, NEWBORN, REPO, case_answers, member, services, submitted

from yijian.apply.cases import case_view, clock_of, pinned_matter
from yijian.calendar.clock import CHINA_TZ
from yijian.office.tasks import fold_case
from yijian.office.window import Correction, request_correction

CLERK = member(1, "wang", ("clerk", "442000", None))
#: Received Mon 2025-09-22; §32's five working days are 9/23, 9/24, 9/25, 9/26 and Sunday
#: 9/28 (调休上班), so Mon 9/29 is the 6th working day: the notice is too late.
SIXTH_WORKING_DAY = datetime(2025, 9, 29, 10, 0, tzinfo=CHINA_TZ)


def test_a_correction_notice_on_the_sixth_working_day_is_deemed_acceptance(
    tmp_path: Path,
) -> None:
    s = services(tmp_path, MONDAY)
    case_no = submitted(s, NEWBORN, case_answers(NEWBORN))
    case = s.store.cases.get(case_no)
    promised = case.summary["promised_days"]
    assert isinstance(promised, int) and promised > 0

    late = services(tmp_path, SIXTH_WORKING_DAY)
    notice = [Correction("answer", "child.name", "姓名与出生医学证明不一致")]
    request_correction(late, CLERK, case_no, notice, date(2025, 10, 20))

    case = late.store.cases.get(case_no)
    events = late.store.cases.events(case_no)
    clock = clock_of(late, case, events, pinned_matter(late, case.matter_id, case.version))
    assert clock is not None and clock.deemed_accepted
    assert clock.accepted_on == date(2025, 9, 22)  # from the day the materials were received
    # the promise runs from the next working day: 9/23 is its first day
    calendar = late.registry.current.calendar
    assert clock.deadline == calendar.add_workdays(date(2025, 9, 22), promised)
    assert calendar.add_workdays(date(2025, 9, 22), 1) == date(2025, 9, 23)

    # accepted by law, so the late notice is a 补正 after acceptance: the members' first
    # tasks exist and stand suspended until the applicant answers
    _, folded = fold_case(late, case)
    states = {(t.step.owner, t.step.step): t.state for t in folded.tasks}
    assert states[("birth-medical-certificate", "issue")] == "suspended"

    # the applicant's timeline says so, dated the day of receipt, before the late notice
    view = case_view(late, case)
    titles = [(x["title"], x["on"]) for x in view["timeline"]]
    assert ("依法视为受理", "2025 年 9 月 22 日") in titles, titles
    deemed = next(x for x in view["timeline"] if x["title"] == "依法视为受理")
    assert "第三十二条" in deemed["detail"] and "2025 年 9 月 23 日" in deemed["detail"]
    assert [t for t, _ in titles] == ["已提交申请", "依法视为受理", "需要补正材料"], titles


def test_a_case_the_window_left_unanswered_reads_deemed_accepted(tmp_path: Path) -> None:
    """No window action in five working days: the case page's 接下来 no longer says the
    window will review within 5 working days, but that it counts as accepted, since when."""
    from yijian.web.settings import Settings
    from yijian.web.templating import _environment

    s = services(tmp_path, MONDAY)
    case_no = submitted(s, NEWBORN, case_answers(NEWBORN))
    later = services(tmp_path, datetime(2025, 10, 13, 10, 0, tzinfo=CHINA_TZ))
    view = case_view(later, later.store.cases.get(case_no))
    assert [x["title"] for x in view["timeline"]] == ["已提交申请", "依法视为受理"]
    env = _environment(Settings(root=REPO, db_path=tmp_path / "unused.db"), "default")
    page = env.get_template("case/show.html").render(case=view, theme="default")
    after = page.split("接下来", 1)[1].split("</p>", 1)[0]
    assert "将在 5 个工作日内审核" not in after, after
    assert "自 2025 年 9 月 22 日起视为受理" in after, after
