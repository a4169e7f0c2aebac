"""Inclusion: required, optional, rule members, exclusive groups, partial."""

from __future__ import annotations

from yijian.compose.inclusion import MemberState, decide, exclusive_rule, selection_rule
from yijian.defs.bundle import ExclusiveGroup, Member
from yijian.rules.engine import RuleEngine, builtin_functions

ENGINE = RuleEngine(builtin_functions())


def state(
    mid: str, include: str = "required", selected: bool = True, eligible: bool = True
) -> MemberState:
    return MemberState(mid, mid, include, selected, eligible)


def test_selection_rules() -> None:
    opt = Member(matter="x", include="optional")
    rule = Member(matter="y", include="rule", when={"==": [{"var": "t"}, "正常"]})
    assert selection_rule(Member(matter="z")) is True
    assert ENGINE.compile(selection_rule(opt)).truthy({"bundle": {"optional": ["x"]}})
    assert not ENGINE.compile(selection_rule(opt)).truthy({"bundle": {"optional": []}})
    assert ENGINE.compile(selection_rule(rule)).truthy({"t": "正常"})


def test_exclusive_group_allows_at_most_one() -> None:
    members = {m: Member(matter=m, include="optional") for m in ("a", "b", "c")}
    rule = ENGINE.compile(
        exclusive_rule(ExclusiveGroup(id="g", name="三选一", matters=("a", "b", "c")), members)
    )
    assert rule.truthy({"bundle": {"optional": ["a"]}})
    assert rule.truthy({"bundle": {"optional": []}})
    assert not rule.truthy({"bundle": {"optional": ["a", "c"]}})


def test_partial_drops_ineligible_optional_members_only() -> None:
    d = decide([state("a"), state("b", "optional", eligible=False)], partial=True, bundle_ok=True)
    assert d.eligible and d.included == ["a"]
    assert [s.included for s in d.members] == [True, False]


def test_without_partial_an_ineligible_selected_member_stops_all() -> None:
    d = decide([state("a"), state("b", "optional", eligible=False)], partial=False, bundle_ok=True)
    assert not d.eligible and d.included == ["a", "b"]


def test_a_required_member_is_required_even_with_partial() -> None:
    d = decide([state("a", eligible=False), state("b")], partial=True, bundle_ok=True)
    assert not d.eligible and d.included == ["b"]


def test_unselected_members_never_go_ahead_and_bundle_rules_block() -> None:
    d = decide([state("a"), state("b", "optional", selected=False)], partial=True, bundle_ok=False)
    assert d.included == ["a"] and not d.eligible


def test_nothing_going_ahead_is_not_an_application() -> None:
    assert not decide([state("a", "optional", selected=False)], True, True).eligible
