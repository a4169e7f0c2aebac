"""告知承诺 核查 in the department queue: after the approval the check department sees the check,
due by the commitment's working days; recording it takes it off the queue."""

from __future__ import annotations

from pathlib import Path

from casefixtures import submitted
from taskfixtures import case_answers, services
from test_examples_run import _staff, work_through

from yijian.office.commitment import record_check
from yijian.office.taskqueue import task_href

FIRE = "fire-safety-inspection"


def test_the_check_waits_in_the_fire_departments_queue(tmp_path: Path) -> None:
    s = services(tmp_path)
    case_no = submitted(s, FIRE, case_answers(FIRE))
    staff = _staff()
    work_through(s, staff, case_no)
    assert s.store.cases.get(case_no).status == "concluded"
    [row] = [r for r in s.store.tasks.queue("fire", ["44"]) if r.kind == "check"]
    assert row.name == "告知承诺核查" and task_href(row) == f"/staff/checks/{case_no}"
    assert row.due > row.opened_on  # 20 working days after the approval
    fire = next(m for m in staff if m.login == "fire")
    record_check(s, fire, case_no, True, "现场核查，与承诺一致")
    assert [r for r in s.store.tasks.queue("fire", ["44"]) if r.kind == "check"] == []
