"""Replaying a case's events always gives the same state, tasks and deadlines, and the queue
table written action by action is exactly the fold of the events (hypothesis drives random
department actions through the newborn bundle on a real store)."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from taskfixtures import NEWBORN, case_answers, member, services, submitted

from yijian.office import taskactions as ta
from yijian.office.review import ReviewError, TaskRef
from yijian.office.tasks import fold_case, rows_of
from yijian.office.window import accept

CLERK = member(1, "wang", ("clerk", "442000", None))
#: one person who may do everything: reviewer of every department the bundle uses, and head
ALL = member(
    2,
    "boss",
    ("approver", "442000", None),
    *(("reviewer", "442000", d) for d in ("health", "police", "healthcare-security", "hrss")),
)
ACTIONS = ("claim", "release", "pass", "deny", "suspend", "resume", "send_back")


def _do(s, ref: TaskRef, action: str, earlier: list[str]) -> None:  # type: ignore[no-untyped-def]
    if action == "claim":
        ta.claim(s, ALL, ref)
    elif action == "release":
        ta.release(s, ALL, ref)
    elif action == "pass":
        ta.pass_step(s, ALL, ref, "同意", {}, approve=False)
    elif action == "deny":
        ta.deny(s, ALL, ref, "不符合条件", "某条例第三条")
    elif action == "suspend":
        ta.suspend(s, ALL, ref, "检验检测", 3, "送检")
    elif action == "resume":
        ta.resume(s, ALL, ref)
    elif action == "send_back" and earlier:
        ta.send_back(s, ALL, ref, earlier[0], "补查")


def _check(s, case_no: str) -> None:  # type: ignore[no-untyped-def]
    case = s.store.cases.get(case_no)
    plan, first = fold_case(s, case)
    _, second = fold_case(s, case)
    assert [(t.step.pid, t.state, t.due, t.claimed_by) for t in first.tasks] == [
        (t.step.pid, t.state, t.due, t.claimed_by) for t in second.tasks
    ]
    assert first.follow == []  # everything that had to follow was written
    stored = sorted(s.store.tasks.of_case(case_no), key=lambda r: (r.owner_case_no, r.step))
    fresh = sorted(rows_of(plan, first), key=lambda r: (r.owner_case_no, r.step))
    assert stored == fresh


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.integers(0, 20), st.sampled_from(ACTIONS)), max_size=14))
def test_the_queue_is_always_the_fold_of_the_events(moves: list[tuple[int, str]]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        s = services(Path(tmp))
        case_no = submitted(s, NEWBORN, case_answers(NEWBORN))
        accept(s, CLERK, case_no)
        _check(s, case_no)
        for pick, action in moves:
            _, f = fold_case(s, s.store.cases.get(case_no))
            live = [t for t in f.tasks if t.state in ("open", "claimed", "suspended")]
            if not live:
                break
            t = live[pick % len(live)]
            earlier = [x.step.step for x in f.tasks
                       if x.step.owner == t.step.owner and x.state == "done"
                       and x.step.kind not in ("accept", "deliver")]  # fmt: skip
            ref = TaskRef(case_no, t.step.owner, t.step.step)
            before = [
                len(s.store.cases.events(c.case_no)) for c in s.store.cases.get(case_no).children
            ]
            try:
                _do(s, ref, action, earlier)
            except ReviewError:  # a wrong-state action: nothing written
                after = [
                    len(s.store.cases.events(c.case_no))
                    for c in s.store.cases.get(case_no).children
                ]
                assert after == before
            _check(s, case_no)
        for no in [case_no, *(c.case_no for c in s.store.cases.get(case_no).children)]:
            assert s.store.cases.verify_chain(no)
        s.store.close()
