"""A derived value is computed on the answers its rule reads, not on all of them.

Converting every answer for every derived value made a 200-field form's answer change cost
in proportion to fields × derived values (bench_bigform, issue 14). The value must be the one
the rule gives on all the data, whatever the rule reads.
"""

from __future__ import annotations

from typing import Any

import pytest

from yijian.rules.engine import RuleEngine, builtin_functions
from yijian.runtime.evaluate import _read_part

DATA: dict[str, Any] = {
    "a": {"x": 3, "y": None, "text": "12"},
    "members": [{"income": 100}, {"income": 250}],
    "flag": False,
    "context": {"today": "2026-12-05"},
    **{f"p{i:02d}": {"amount": i} for i in range(40)},
}
RULES = [
    {"+": [{"var": "a.x"}, {"var": "p03.amount"}]},
    {"missing": ["a.y", "a.z", "flag"]},
    {"var": "a"},
    {"+": [{"var": "a.x"}, {"var": "a.missing"}]},
    {"reduce": [{"var": "members"}, {"+": [{"var": "accumulator"}, {"var": "current.income"}]}, 0]},
    {"var": "members.1.income"},
    {"if": [{"var": "flag"}, 1, {"var": "context.today"}]},
    {"var": {"cat": ["p0", "3.amount"]}},  # a computed path: all the data
    {"var": ""},
    {"==": [{"var": "a.text"}, "12"]},
]


@pytest.fixture(scope="module")
def engine() -> RuleEngine:
    return RuleEngine(list(builtin_functions()))


@pytest.mark.parametrize("expr", RULES)
def test_same_value_as_on_all_the_data(engine: RuleEngine, expr: Any) -> None:
    rule = engine.compile(expr)
    assert rule.evaluate(_read_part(rule, DATA)) == rule.evaluate(DATA)


def test_only_what_is_read(engine: RuleEngine) -> None:
    rule = engine.compile(RULES[0])
    assert _read_part(rule, DATA) == {"a": {"x": 3}, "p03": {"amount": 3}}
