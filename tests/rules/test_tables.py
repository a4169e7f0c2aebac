"""Table operators: brackets keyed by birth month or amount, plain lookups."""

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from yijian.rules import functions
from yijian.rules.builtins import dates, tables
from yijian.rules.engine import RuleEngine

# Retirement age of 女职工 by birth month under the 2025 reform (abridged): 50 until 1974-12,
# then one month more per two months of birth.
RETIREMENT = [
    {"until": "1974-12", "value": 50},
    {"from": "1975-01", "until": "1975-02", "value": 50.083},
    {"from": "1975-03", "until": "1975-04", "value": 50.167},
    {"from": "1984-11", "value": 55},
]


@pytest.fixture(scope="module")
def engine() -> RuleEngine:
    return RuleEngine([*functions.collect(tables), *functions.collect(dates)])


def run(engine: RuleEngine, rule: Any, data: Any = None) -> Any:
    return engine.compile(rule).evaluate(data or {})


class TestBracket:
    @pytest.mark.parametrize(
        "month,age",
        [
            ("1960-01", 50),
            ("1974-12", 50),
            ("1975-01", 50.083),
            ("1975-02", 50.083),
            ("1975-03", 50.167),
            ("1975-05", None),  # a gap in the table
            ("1984-11", 55),
            ("2001-07", 55),
        ],
    )
    def test_birth_month_table_from_the_data(
        self, engine: RuleEngine, month: str, age: Any
    ) -> None:
        data = {"params": {"retirement": RETIREMENT}, "month": month}
        rule = {"bracket": [{"var": "month"}, {"var": "params.retirement"}]}
        assert run(engine, rule, data) == age

    def test_keyed_by_birth_date(self, engine: RuleEngine) -> None:
        rule = {"bracket": [{"year_month": [{"var": "birth"}]}, {"var": "table"}]}
        assert run(engine, rule, {"birth": "1975-02-28", "table": RETIREMENT}) == 50.083

    def test_inline_rows(self, engine: RuleEngine) -> None:
        rule = {"bracket": [{"var": "size"}, [[None, 2, 300], [3, 5, 500], [6, None, 650]]]}
        assert [run(engine, rule, {"size": n}) for n in (1, 2, 3, 5, 5.5, 6, 40)] == [
            300,
            300,
            500,
            500,
            None,
            650,
            650,
        ]

    def test_numbers_compare_as_numbers(self) -> None:
        table = [{"from": 9, "until": 10, "value": "nine-ten"}, {"from": 100, "value": "big"}]
        assert tables.bracket(10, table) == "nine-ten"
        assert tables.bracket("10", table) == "nine-ten"  # text against a number: numeric
        assert tables.bracket(99.5, table) is None
        assert tables.bracket(100, table) == "big"

    def test_first_match_wins(self) -> None:
        assert tables.bracket(5, [[1, 10, "a"], [5, 5, "b"]]) == "a"

    def test_a_row_without_bounds_matches_everything(self) -> None:
        assert tables.bracket("anything", [{"value": 1}]) == 1

    @pytest.mark.parametrize(
        "key,table",
        [
            (None, [[None, None, 1]]),
            (5, None),
            (5, {"from": 1, "value": 2}),
            (5, ["junk", [1, 2], {"from": "x", "value": 3}]),
            ("abc", [[1, 10, "n"]]),
            (True, [[0, 10, "n"]]),
        ],
    )
    def test_no_match_is_null(self, key: Any, table: Any) -> None:
        assert tables.bracket(key, table) is None


class TestLookup:
    def test_from_the_data(self, engine: RuleEngine) -> None:
        data = {"county": "城关镇", "params": {"subsidy": {"城关镇": 1200, "3": 800}}}
        rule = {"lookup": [{"var": "county"}, {"var": "params.subsidy"}]}
        assert run(engine, rule, data) == 1200
        assert run(engine, {"lookup": [3, {"var": "params.subsidy"}]}, data) == 800
        assert run(engine, {"lookup": [3.0, {"var": "params.subsidy"}]}, data) == 800
        assert run(engine, {"lookup": ["x", {"var": "params.subsidy"}, 0]}, data) == 0
        assert run(engine, {"lookup": ["x", {"var": "params.subsidy"}]}, data) is None

    @pytest.mark.parametrize("key,mapping", [(None, {"a": 1}), ([], {"a": 1}), ("a", ["a"])])
    def test_bad_input_gives_default(self, key: Any, mapping: Any) -> None:
        assert tables.lookup(key, mapping, "d") == "d"


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=3),
    max_leaves=8,
)


@given(json_values, json_values, json_values)
def test_never_raises_on_citizen_input(key: Any, table: Any, default: Any) -> None:
    tables.bracket(key, table)
    tables.lookup(key, table, default)
