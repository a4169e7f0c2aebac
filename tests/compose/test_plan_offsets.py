"""Each member's due day is its place in the application's plan (issue 9 item 5, issue 15
item 13): never before a member it waits for, never after the application's promise."""

from __future__ import annotations

from compose_helpers import step
from test_compose_plan import MEMBERS, ORDER, OWN

from yijian.compose.plan import join_routings, longest_path, member_offsets


def test_a_member_is_due_when_the_longest_way_to_its_last_step_ends() -> None:
    steps, _ = join_routings(MEMBERS, OWN, ORDER)
    due = member_offsets(steps)
    # bmc 0 → reg 2 → ins 1 and card 1 (+ make 10, which does not count); pay 3 + 2 alone
    assert due == {"bmc": 0, "reg": 2, "ins": 3, "card": 3, "pay": 5}
    assert max(due.values()) == longest_path(steps)[0]


def test_a_member_waiting_for_another_is_never_due_before_it() -> None:
    steps, _ = join_routings(MEMBERS, OWN, ORDER)
    due = member_offsets(steps)
    for member, before in ORDER.items():
        assert all(due[member] >= due[b] for b in before), (member, before)


def test_only_the_application_s_own_steps_count() -> None:
    steps, _ = join_routings(MEMBERS, OWN, ORDER)
    without_pay = [s for s in steps if s.matter != "pay"]  # an optional member not ticked
    due = member_offsets(without_pay)
    assert "pay" not in due and due["card"] == 3
    assert max(due.values()) == longest_path(without_pay)[0] == 3


def test_the_bundle_s_own_steps_belong_to_no_member() -> None:
    own = [step("accept", kind="accept"), step("close", 4, kind="deliver", after=("accept",))]
    steps, _ = join_routings([], own, {})
    assert member_offsets(steps) == {} and longest_path(steps)[0] == 4
