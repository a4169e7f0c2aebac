"""告知承诺 核查 in the department queue: after the approval the check department sees the check,
due by the commitment's working days; recording it takes it off the queue."""

from __future__ import annotations

from pathlib import Path

from casefixtures import submitted
from taskfixtures import case_answers, services
from test_examples_run import _staff, _who

from yijian.office import taskactions as ta
from yijian.office.commitment import record_check
from yijian.office.review import TaskRef
from yijian.office.taskqueue import task_href
from yijian.office.tasks import fold_case
from yijian.office.window import accept

FIRE = "fire-safety-inspection"


def test_the_check_waits_in_the_fire_departments_queue(tmp_path: Path) -> None:
    s = services(tmp_path)
    case_no = submitted(s, FIRE, case_answers(FIRE))
    staff = _staff()
    accept(s, staff[0], case_no)
    for _ in range(10):
        _, f = fold_case(s, s.store.cases.get(case_no))
        live = [t for t in f.tasks if t.state in ("open", "claimed")]
        if not live:
            break
        t = live[0]
        ref = TaskRef(case_no, t.step.owner, t.step.step)
        ta.pass_step(
            s, _who(s, staff, t, "442000"), ref, "同意", {}, approve=t.step.kind == "decide"
        )
    assert s.store.cases.get(case_no).status == "concluded"
    [row] = [r for r in s.store.tasks.queue("fire", ["44"]) if r.kind == "check"]
    assert row.name == "告知承诺核查" and task_href(row) == f"/staff/checks/{case_no}"
    assert row.due > row.opened_on  # 20 working days after the approval
    fire = next(m for m in staff if m.login == "fire")
    record_check(s, fire, case_no, True, "现场核查，与承诺一致")
    assert [r for r in s.store.tasks.queue("fire", ["44"]) if r.kind == "check"] == []
