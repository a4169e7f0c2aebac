"""Date operators: ISO text in and out, the evaluation day, working days from a calendar."""

from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from yijian.rules import functions
from yijian.rules.builtins import dates
from yijian.rules.context import TODAY, current_day, evaluation_day
from yijian.rules.engine import RuleEngine, RuleEvaluationError

DAY = date(2024, 3, 15)  # a Friday


class WeekendCalendar:
    """Stand-in for yijian.calendar.WorkCalendar: weekends off, only 2024 and 2025 known."""

    def _known(self, d: date) -> None:
        if d.year not in (2024, 2025):
            raise LookupError(f"no working-day calendar for {d.year}")

    def is_workday(self, d: date) -> bool:
        self._known(d)
        return d.weekday() < 5

    def add_workdays(self, start: date, n: int) -> date:
        d, step = start, (1 if n >= 0 else -1)
        for _ in range(abs(n)):
            d += timedelta(days=step)
            while not self.is_workday(d):
                d += timedelta(days=step)
        return d

    def workdays_between(self, a: date, b: date) -> int:
        self._known(a)
        return sum(self.is_workday(a + timedelta(days=i)) for i in range(1, (b - a).days + 1))


@pytest.fixture(scope="module")
def engine() -> RuleEngine:
    return RuleEngine(functions.collect(dates), inject={"calendar": WeekendCalendar()})


@pytest.fixture(autouse=True)
def pinned_day() -> Iterator[None]:
    with evaluation_day(DAY):
        yield


def run(engine: RuleEngine, rule: Any, data: Any = None) -> Any:
    return engine.compile(rule).evaluate(data or {})


class TestParsing:
    @pytest.mark.parametrize(
        "text,day",
        [
            ("2024-02-29", date(2024, 2, 29)),
            (" 2024-02-29 ", date(2024, 2, 29)),
            ("2024-02-29T23:59", date(2024, 2, 29)),
            ("2024-02-29T23:59:59", date(2024, 2, 29)),
            ("2024-02-29 08:00:00.123", date(2024, 2, 29)),
        ],
    )
    def test_accepted(self, text: str, day: date) -> None:
        assert dates.parse_day(text) == day

    @pytest.mark.parametrize(
        "value",
        [
            "2023-02-29",
            "2024-2-9",
            "2024/02/29",
            "20240229",
            "2024-02-29T24:00",
            "",
            None,
            20240229,
        ],
    )
    def test_refused(self, value: object) -> None:
        assert dates.parse_day(value) is None


class TestToday:
    def test_reads_the_evaluation_day(self, engine: RuleEngine) -> None:
        rule = engine.compile({"today": []})
        assert rule.evaluate({}) == "2024-03-15"
        with evaluation_day(date(2030, 1, 2)):
            assert rule.evaluate({}) == "2030-01-02"
        assert rule.evaluate({}) == "2024-03-15"

    def test_falls_back_to_the_clock(self, engine: RuleEngine) -> None:
        with evaluation_day(None):
            assert TODAY.get() is None
            assert current_day() == date.today()
            assert run(engine, {"today": []}) == date.today().isoformat()


class TestDateAdd:
    @pytest.mark.parametrize(
        "args,expected",
        [
            (["2024-01-31", 1, "month"], "2024-02-29"),
            (["2023-01-31", 1, "month"], "2023-02-28"),
            (["2024-03-31", -1, "month"], "2024-02-29"),
            (["2024-02-29", 1, "year"], "2025-02-28"),
            (["2024-12-15", 1, "month"], "2025-01-15"),
            (["2024-01-01", -1, "month"], "2023-12-01"),
            (["2024-12-31", 1], "2025-01-01"),
            (["2024-12-31T10:30", 1, "day"], "2025-01-01"),
            (["2024-03-15", 2, "week"], "2024-03-29"),
            (["2024-03-15", 2.0, "day"], "2024-03-17"),
            (["2024-03-15", 1.5, "day"], None),
            (["2024-03-15", True, "day"], None),
            (["2024-03-15", "1", "day"], None),
            (["2024-03-15", 1, "fortnight"], None),
            (["bad", 1, "day"], None),
            ([None, 1, "day"], None),
            (["9999-12-31", 1, "day"], None),
            (["0001-01-01", -1, "month"], None),
            (["2024-01-01", 10**12, "day"], None),
        ],
    )
    def test_cases(self, engine: RuleEngine, args: list[Any], expected: str | None) -> None:
        assert run(engine, {"date_add": args}) == expected


class TestDateDiff:
    @pytest.mark.parametrize(
        "args,expected",
        [
            (["2024-01-01", "2024-03-01"], 60),
            (["2024-03-01", "2024-01-01", "day"], -60),
            (["2024-01-31", "2024-02-29", "month"], 0),
            (["2024-01-31", "2024-03-31", "month"], 2),
            (["2024-01-15", "2024-02-14", "month"], 0),
            (["2024-01-15", "2024-02-15", "month"], 1),
            (["2024-02-15", "2024-01-15", "month"], -1),
            (["2024-01-01", "2024-01-14", "week"], 1),
            (["2024-01-14", "2024-01-01", "week"], -1),
            (["2000-02-29", "2001-02-28", "year"], 0),
            (["2000-02-29", "2001-03-01", "year"], 1),
            (["2024-01-01T23:00", "2024-01-02T01:00"], 1),
            (["2024-01-01", "2024-01-02", "hour"], None),
            (["2024-01-01", None], None),
        ],
    )
    def test_cases(self, engine: RuleEngine, args: list[Any], expected: int | None) -> None:
        assert run(engine, {"date_diff": args}) == expected

    @given(st.dates(), st.dates(), st.sampled_from(["day", "week", "month", "year"]))
    def test_antisymmetric(self, a: date, b: date, unit: str) -> None:
        assert dates.full_units(a, b, unit) == -dates.full_units(b, a, unit)

    @given(
        st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31)),
        st.integers(-1200, 1200),
        st.sampled_from(["day", "week", "month", "year"]),
    )
    def test_inverse_of_add_when_no_clamping(self, a: date, n: int, unit: str) -> None:
        a = a.replace(day=min(a.day, 28))  # no month-end clamping
        b = dates.shift(a, n, unit)
        assert dates.full_units(a, b, unit) == n
        assert dates.date_diff(a.isoformat(), b.isoformat(), unit) == n


class TestAge:
    @pytest.mark.parametrize(
        "args,expected",
        [
            (["2006-03-15"], 18),
            (["2006-03-16"], 17),
            (["2000-02-29", "2023-02-28"], 22),
            (["2000-02-29", "2023-03-01"], 23),
            (["2000-02-29", "2024-02-29"], 24),
            (["2024-03-15"], 0),
            (["2024-03-16"], None),  # not yet born
            (["someday"], None),
            (["2000-01-01", "someday"], None),
        ],
    )
    def test_cases(self, engine: RuleEngine, args: list[Any], expected: int | None) -> None:
        assert run(engine, {"age": args}) == expected

    def test_adult_rule(self, engine: RuleEngine) -> None:
        rule = engine.compile({">=": [{"age": [{"var": "birth"}]}, 18]})
        assert rule.truthy({"birth": "2006-03-15"})
        assert not rule.truthy({"birth": "2006-03-16"})
        assert not rule.truthy({})


def test_year_month(engine: RuleEngine) -> None:
    assert run(engine, {"year_month": ["1965-04-30"]}) == "1965-04"
    assert run(engine, {"year_month": ["0099-01-01T00:00"]}) == "0099-01"
    assert run(engine, {"year_month": [19650430]}) is None


class TestWorkdays:
    def test_add(self, engine: RuleEngine) -> None:
        assert run(engine, {"workdays_add": ["2024-03-15", 1]}) == "2024-03-18"
        assert run(engine, {"workdays_add": ["2024-03-15", 5]}) == "2024-03-22"
        assert run(engine, {"workdays_add": [{"var": "accepted"}, 20]}, {}) is None
        assert run(engine, {"workdays_add": ["2024-03-15", "many"]}) is None

    def test_between_and_is_workday(self, engine: RuleEngine) -> None:
        assert run(engine, {"workdays_between": ["2024-03-15", "2024-03-22"]}) == 5
        assert run(engine, {"workdays_between": ["2024-03-15", None]}) is None
        assert run(engine, {"is_workday": ["2024-03-16"]}) is False
        assert run(engine, {"is_workday": ["2024-03-18T09:00"]}) is True
        assert run(engine, {"is_workday": ["2024-13-01"]}) is None

    def test_calendar_is_not_a_rule_argument(self, engine: RuleEngine) -> None:
        assert engine.functions["workdays_add"].max_args == 2
        problems = engine.check({"workdays_add": ["2024-03-15", 1, {"var": "calendar"}]})
        assert [p.code for p in problems] == ["arg-count"]

    @pytest.mark.parametrize(
        "rule",
        [
            {"workdays_add": ["2031-01-02", 3]},
            {"workdays_between": ["2031-01-02", "2031-02-01"]},
            {"is_workday": ["2031-01-02"]},
        ],
    )
    def test_missing_year_is_an_evaluation_error(self, engine: RuleEngine, rule: Any) -> None:
        with pytest.raises(RuleEvaluationError) as caught:
            run(engine, rule)
        assert caught.value.function == next(iter(rule))
        assert isinstance(caught.value.__cause__, LookupError)
        assert "2031" in str(caught.value)

    def test_engine_without_calendar(self) -> None:
        bare = RuleEngine(functions.collect(dates))
        assert bare.compile({"date_add": ["2024-01-01", 1]}).evaluate({}) == "2024-01-02"
        with pytest.raises(RuleEvaluationError, match="calendar") as caught:
            bare.compile({"is_workday": ["2024-01-01"]}).evaluate({})
        assert caught.value.function == "is_workday"


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(), inner, max_size=3),
    max_leaves=6,
)


@given(json_values, json_values, json_values)
def test_never_raises_on_citizen_input(a: Any, b: Any, c: Any) -> None:
    assert dates.date_add(a, b, c) is None or isinstance(dates.date_add(a, b, c), str)
    assert dates.date_diff(a, b, c) is None or isinstance(dates.date_diff(a, b, c), int)
    assert dates.age(a, b) is None or dates.age(a, b) >= 0  # type: ignore[operator]
    assert dates.year_month(a) is None or len(dates.year_month(a) or "") == 7
    assert dates.parse_day("２０２４-01-01") is None
