"""yijian.rules.explain: the failing leaves of a rule, and that they really are false."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from yijian.rules.context import evaluation_day
from yijian.rules.engine import RuleEngine, RuleEvaluationError, builtin_functions, truthy
from yijian.rules.explain import failing_leaves, holding_leaves

ENGINE = RuleEngine(list(builtin_functions()))


def leaves(rule: Any, data: dict[str, Any]) -> list[tuple[str, bool]]:
    return [(leaf.pointer, leaf.wanted) for leaf in failing_leaves(ENGINE.compile(rule), data)]


def test_a_rule_that_holds_has_no_failing_leaves() -> None:
    assert leaves({"==": [{"var": "a"}, 1]}, {"a": 1}) == []


def test_and_names_every_false_child_not_only_the_first() -> None:
    rule = {"and": [{">=": [{"var": "a"}, 2]}, {"==": [{"var": "b"}, "x"]}, {"var": "c"}]}
    assert leaves(rule, {"a": 1, "b": "y", "c": True}) == [("/and/0", True), ("/and/1", True)]


def test_or_names_each_alternative_as_either() -> None:
    rule = {"or": [{"==": [{"var": "a"}, 1]}, {"==": [{"var": "b"}, 2]}]}
    found = failing_leaves(ENGINE.compile(rule), {"a": 0, "b": 0})
    assert [(f.pointer, f.either) for f in found] == [("/or/0", True), ("/or/1", True)]


def test_not_flips_what_is_wanted() -> None:
    assert leaves({"!": {"var": "a"}}, {"a": True}) == [("/!", False)]
    rule = {"!": [{"and": [{"var": "a"}, {"==": [{"var": "b"}, 1]}]}]}
    assert leaves(rule, {"a": True, "b": 1}) == [("/!/0/and/0", False), ("/!/0/and/1", False)]


def test_not_over_or_names_only_the_true_alternatives() -> None:
    rule = {"!": {"or": [{"var": "a"}, {"var": "b"}]}}
    assert leaves(rule, {"a": False, "b": 1}) == [("/!/or/1", False)]


def test_in_between_and_values() -> None:
    found = failing_leaves(ENGINE.compile({"in": [{"var": "k"}, ["x", "y"]]}), {"k": "z"})
    assert [(f.op, f.values, f.value) for f in found] == [("in", ("z", ["x", "y"]), False)]
    found = failing_leaves(ENGINE.compile({"<=": [1, {"var": "n"}, 5]}), {"n": 9})
    assert [(f.op, f.values) for f in found] == [("<=", (1, 9, 5))]


def test_if_follows_the_branch_taken() -> None:
    rule = {"if": [{"var": "adult"}, {">=": [{"var": "age"}, 18]}, {"<": [{"var": "age"}, 18]}]}
    assert leaves(rule, {"adult": True, "age": 12}) == [("/if/1", True)]
    assert leaves(rule, {"adult": False, "age": 30}) == [("/if/2", True)]


def test_date_functions_read_the_evaluation_day() -> None:
    rule = {"<": [{"date_diff": [{"var": "born"}, {"today": []}, "month"]}, 6]}
    with evaluation_day(date(2025, 3, 1)):
        found = failing_leaves(ENGINE.compile(rule), {"born": "2024-01-15"})
    assert [(f.pointer, f.values) for f in found] == [("", (13, 6))]


# -- property: every failing leaf really has the opposite truth of what was wanted ----------

_var = st.sampled_from(["a", "b", "c", "d"]).map(lambda k: {"var": k})
_lit = st.one_of(st.none(), st.booleans(), st.integers(-3, 3), st.sampled_from(["x", "y", ""]))
_cmp = st.tuples(st.sampled_from(["==", "!=", "<", "<=", ">", ">=", "==="]), _var, _lit).map(
    lambda t: {t[0]: [t[1], t[2]]}
)
_in = st.tuples(_var, st.lists(_lit, max_size=3)).map(lambda t: {"in": [t[0], t[1]]})
_between = st.tuples(_var, st.integers(-2, 0), st.integers(0, 2)).map(
    lambda t: {"<=": [t[1], t[0], t[2]]}
)
_leaf = st.one_of(_var, _cmp, _in, _between)
RULES = st.recursive(
    _leaf,
    lambda inner: st.one_of(
        st.lists(inner, min_size=1, max_size=3).map(lambda xs: {"and": xs}),
        st.lists(inner, min_size=1, max_size=3).map(lambda xs: {"or": xs}),
        inner.map(lambda x: {"!": [x]}),
        inner.map(lambda x: {"!!": [x]}),
        st.tuples(inner, inner, inner).map(lambda t: {"if": list(t)}),
    ),
    max_leaves=8,
)
DATA = st.fixed_dictionaries({k: _lit for k in "abcd"})


@settings(max_examples=300, deadline=None)
@given(rule=RULES, data=DATA)
def test_failing_leaves_really_evaluate_against_what_was_wanted(rule: Any, data: Any) -> None:
    compiled = ENGINE.compile(rule)
    found = failing_leaves(compiled, data)
    if holds(rule, data):
        assert found == []
        return
    assert found, "a false rule is explained by at least one leaf"
    for leaf in found:
        # a leaf that cannot be evaluated makes the whole rule false (as the runtime counts it)
        assert leaf.error or holds(leaf.expr, data) is not leaf.wanted, (leaf.pointer, leaf.expr)
        assert not leaf.error or error(leaf.expr, data)


def holds(rule: Any, data: Any) -> bool:
    """Truth as the runtime counts it: a rule that fails on a value is not true."""
    try:
        return truthy(ENGINE.compile(rule).evaluate(data))
    except RuleEvaluationError:
        return False


def error(rule: Any, data: Any) -> bool:
    try:
        ENGINE.compile(rule).evaluate(data)
    except RuleEvaluationError:
        return True
    return False


@pytest.mark.parametrize("rule", [{"missing": ["a"]}, {"some": [[1], {"==": [{"var": ""}, 2]}]}])
def test_operators_without_a_branch_are_leaves(rule: Any) -> None:
    found = failing_leaves(ENGINE.compile(rule), {"a": 1})
    assert [f.pointer for f in found] == [""]


@settings(max_examples=300, deadline=None)
@given(rule=RULES, data=DATA)
def test_holding_leaves_really_hold_as_the_rule_needs(rule: Any, data: Any) -> None:
    """Why a rule is true (a material's condition): each leaf has the truth that keeps it so."""
    found = holding_leaves(ENGINE.compile(rule), data)
    if not holds(rule, data):
        assert found == []
        return
    assert found, "a true rule is explained by at least one leaf"
    for leaf in found:
        assert leaf.error or holds(leaf.expr, data) is not leaf.wanted, (leaf.pointer, leaf.expr)


def test_holding_leaves_of_an_and_name_every_part() -> None:
    rule = {"and": [{"in": [{"var": "a"}, ["x", "y"]]}, {"!": {"var": "b"}}]}
    found = holding_leaves(ENGINE.compile(rule), {"a": "x", "b": False})
    assert [(f.pointer, f.wanted) for f in found] == [("/and/0", False), ("/and/1/!", True)]
