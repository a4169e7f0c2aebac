"""The engine wrapper: checking, compiling, evaluating, rule functions (loading them is
tested in test_loading.py)."""

import json
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from typing import Any, ClassVar

import datalogic_py as dl
import pytest

from yijian.rules import engine as engine_module
from yijian.rules import loading
from yijian.rules.engine import (
    CompiledRule,
    RuleCompileError,
    RuleEngine,
    RuleEvaluationError,
    RuleProblem,
    builtin_functions,
    truthy,
)
from yijian.rules.functions import RuleFunction, describe, rule_function

BUILTIN_NAMES = {
    "id_card_valid",
    "id_card_birth_date",
    "id_card_sex",
    "id_card_age",
    "uscc_valid",
    "mobile_valid",
    "bank_card_valid",
    "today",
    "date_add",
    "date_diff",
    "age",
    "year_month",
    "workdays_add",
    "workdays_between",
    "is_workday",
    "bracket",
    "lookup",
}


def fn(func: Any, name: str | None = None) -> RuleFunction:
    return describe(rule_function(name)(func), "tests")


def shout(text: object, times: object = 1) -> str:
    return f"{text}！" * int(times)  # type: ignore[call-overload]


def boom(value: object) -> None:
    raise ValueError(f"cannot handle {value}")


@pytest.fixture(scope="module")
def engine() -> RuleEngine:
    return RuleEngine([*builtin_functions(), fn(shout), fn(boom)])


class TestCheck:
    def test_clean_rule(self, engine: RuleEngine) -> None:
        assert engine.check({"and": [{"shout": ["a", 2]}, {"var": "x"}]}) == []

    def test_every_problem_in_document_order(self, engine: RuleEngine) -> None:
        rule = {
            "and": [
                {"today": [1]},
                {"==": [1]},
                {"if": [True, {"vr": "x"}, {"agee": [{"var": "b"}]}]},
                {"shout": []},
                {"!": [1, 2]},
            ]
        }
        assert engine.check(rule) == [
            RuleProblem("/and/0", "arg-count", "`today` takes no arguments, not 1"),
            RuleProblem("/and/1", "arg-count", "`==` takes at least 2 arguments, not 1"),
            RuleProblem(
                "/and/2/if/1", "unknown-operator", "unknown operator `vr`; did you mean `var`?"
            ),
            RuleProblem(
                "/and/2/if/2", "unknown-operator", "unknown operator `agee`; did you mean `age`?"
            ),
            RuleProblem("/and/3", "arg-count", "`shout` takes 1 to 2 arguments, not 0"),
            RuleProblem(
                "/and/4",
                "warning",
                "`!` reads 0 to 1 argument; the other 1 argument is never evaluated",
            ),
        ]

    def test_pointer_escapes_slash(self, engine: RuleEngine) -> None:
        assert [p.pointer for p in engine.check({"/": [{"today": [1]}, 2]})] == ["/~1/0"]

    def test_a_single_argument_need_not_be_a_list(self, engine: RuleEngine) -> None:
        assert engine.check({"id_card_valid": {"var": "id"}}) == []
        assert engine.check({"today": None})[0].code == "arg-count"  # null is one argument

    def test_objects_are_not_literals(self, engine: RuleEngine) -> None:
        (problem,) = engine.check({"bracket": [1, [{"from": 1, "value": 2}]]})
        assert problem.code == "invalid"
        assert problem.pointer == "/bracket/1/0"

    def test_yaml_dates_are_refused_with_a_hint(self, engine: RuleEngine) -> None:
        (problem,) = engine.check({"<": [{"var": "birth"}, date(2024, 1, 1)]})
        assert problem == RuleProblem(
            "/</1",
            "invalid",
            "date value datetime.date(2024, 1, 1) is not a JSON value;"
            " write a date as quoted text 'YYYY-MM-DD'",
        )
        assert engine.check({1: "x"})[0].code == "invalid"

    def test_datetime_family_is_left_out(self, engine: RuleEngine) -> None:
        assert engine.check({"now": []})[0].code == "unknown-operator"
        assert "date_diff" in engine.functions

    def test_operator_names(self, engine: RuleEngine) -> None:
        names = engine.operator_names()
        assert {"var", "val", "if", "?:", "missing_some", "substr", "shout"} <= names
        assert names >= BUILTIN_NAMES
        assert "now" not in names and "tensor" not in names


class TestCompile:
    def test_errors_raise_with_every_problem(self, engine: RuleEngine) -> None:
        with pytest.raises(RuleCompileError) as caught:
            engine.compile({"and": [{"vr": 1}, {"today": [2]}]})
        assert [p.code for p in caught.value.problems] == ["unknown-operator", "arg-count"]
        assert "/and/0: unknown operator `vr`" in str(caught.value)

    def test_warnings_do_not_block(self, engine: RuleEngine) -> None:
        assert engine.compile({"!": [0, 1]}).evaluate({}) is True

    def test_reads_are_dotted_paths(self, engine: RuleEngine) -> None:
        rule = engine.compile(
            {
                "and": [
                    {">=": [{"age": [{"var": "child.birth_date"}]}, 0]},
                    {"id_card_valid": [{"var": "children.0.id_number"}]},
                    {"missing": ["mother.name"]},
                    {"some": [{"var": "kids"}, {"var": "in_school"}]},
                    {"var": "child.birth_date"},
                ]
            }
        )
        assert rule.reads == ("child.birth_date", "children.0.id_number", "kids", "mother.name")
        assert rule.reads_complete  # our functions see their arguments, never the data
        assert isinstance(rule, CompiledRule) and rule.source["and"][4] == {
            "var": "child.birth_date"
        }

    @pytest.mark.parametrize("expr", [{"var": {"cat": ["a", ".b"]}}, {"cat": [{"var": ""}]}])
    def test_reads_incomplete(self, engine: RuleEngine, expr: Any) -> None:
        assert not engine.compile(expr).reads_complete

    def test_a_bare_string_is_a_string(self, engine: RuleEngine) -> None:
        assert engine.compile("apple").evaluate({}) == "apple"
        assert engine.compile("true").evaluate({}) == "true"
        assert engine.check("apple") == []


class TestEvaluate:
    RULE: ClassVar[dict[str, Any]] = {
        "and": [{">=": [{"var": "age"}, 18]}, {"shout": [{"var": "name"}]}]
    }

    def test_dict_handle_and_many(self, engine: RuleEngine) -> None:
        rule = engine.compile(self.RULE)
        data = {"age": 30, "name": "张三"}
        assert rule.evaluate(data) == "张三！"
        assert rule.evaluate(dl.DataHandle(data)) == "张三！"
        rules = [rule, engine.compile({"var": "age"}), engine.compile({"!": {"var": "age"}})]
        assert engine.evaluate_many(rules, data) == ["张三！", 30, False]
        assert engine.evaluate_many(rules, dl.DataHandle(data)) == ["张三！", 30, False]

    def test_string_data_is_a_string(self, engine: RuleEngine) -> None:
        assert engine.compile({"var": ""}).evaluate("x") == "x"  # type: ignore[arg-type]
        assert engine.evaluate_many([engine.compile({"var": ""})], "x") == ["x"]  # type: ignore[arg-type]

    def test_non_json_data(self, engine: RuleEngine) -> None:
        with pytest.raises(RuleEvaluationError, match="not JSON"):
            engine.evaluate_many([engine.compile({"var": "d"})], {"d": date(2024, 1, 1)})

    @pytest.mark.parametrize(
        "value,expected",
        [
            (None, False),
            (False, False),
            (0, False),
            (0.0, False),
            ("", False),
            ([], False),
            ({}, False),
            (True, True),
            (-1, True),
            ("0", True),
            ([0], True),
            ({"a": 0}, True),
        ],
    )
    def test_truthiness_matches_if(self, engine: RuleEngine, value: Any, expected: bool) -> None:
        assert truthy(value) is expected
        assert engine.compile({"var": "v"}).truthy({"v": value}) is expected
        assert (
            engine.compile({"if": [{"var": "v"}, True, False]}).evaluate({"v": value}) is expected
        )

    def test_function_failure_names_the_function(self, engine: RuleEngine) -> None:
        rule = engine.compile({"or": [False, {"boom": [{"var": "x"}]}]})
        with pytest.raises(RuleEvaluationError) as caught:
            rule.evaluate({"x": 7})
        assert caught.value.function == "boom"
        assert str(caught.value) == "rule function 'boom' failed: ValueError: cannot handle 7"
        assert isinstance(caught.value.__cause__, ValueError)
        with pytest.raises(RuleEvaluationError) as caught:
            engine.evaluate_many([engine.compile({"var": "x"}), rule], {"x": 8})
        assert caught.value.function == "boom"

    def test_try_can_catch_a_function_failure(self, engine: RuleEngine) -> None:
        assert engine.compile({"try": [{"boom": [1]}, "fallback"]}).evaluate({}) == "fallback"
        with pytest.raises(RuleEvaluationError, match="'shout' failed"):
            engine.compile({"shout": ["a", "many"]}).evaluate({})

    def test_engine_errors_are_evaluation_errors(self, engine: RuleEngine) -> None:
        with pytest.raises(RuleEvaluationError) as caught:
            engine.compile({"throw": "stop"}).evaluate({})
        assert caught.value.function is None
        assert isinstance(caught.value.__cause__, dl.DataLogicError)

    def test_failures_are_told_apart_across_threads(self, engine: RuleEngine) -> None:
        failing = engine.compile({"boom": [{"var": "n"}]})

        def attempt(n: int) -> str:
            try:
                failing.evaluate({"n": n})
            except RuleEvaluationError as exc:
                return str(exc.__cause__)
            return "no error"  # pragma: no cover

        with ThreadPoolExecutor(4) as pool:
            got = list(pool.map(attempt, range(200)))
        assert got == [f"cannot handle {n}" for n in range(200)]


class TestRuleFunctions:
    def test_name_clash_with_a_built_in(self) -> None:
        with pytest.raises(ValueError, match=r"\bif \(tests\)"):
            RuleEngine([fn(shout, "if")])
        with pytest.raises(ValueError, match="match"):
            RuleEngine([fn(shout, "match")])  # an alias of switch

    def test_later_function_overrides(self) -> None:
        def county_age(birth: object) -> int:
            return 99

        eng = RuleEngine([*builtin_functions(), fn(county_age, "age")])
        assert eng.compile({"age": ["2000-01-01"]}).evaluate({}) == 99
        assert eng.functions["age"].max_args == 1

    def test_injection(self) -> None:
        def greet(name: object, *, greeting: str, punct: str = "。") -> str:
            return f"{greeting}，{name}{punct}"

        eng = RuleEngine([fn(greet)], inject={"greeting": "您好", "unused": object()})
        assert eng.compile({"greet": ["李四"]}).evaluate({}) == "您好，李四。"
        eng = RuleEngine([fn(greet)], inject={"greeting": "你好", "punct": "！"})
        assert eng.compile({"greet": ["李四"]}).evaluate({}) == "你好，李四！"

    def test_results_are_made_json(self) -> None:
        def birthday() -> date:
            return date(2024, 2, 29)

        def tags() -> set[str]:
            return {"b", "a"}

        def bad() -> object:
            return object()

        eng = RuleEngine([fn(birthday), fn(tags), fn(bad)])
        assert eng.compile({"birthday": []}).evaluate({}) == "2024-02-29"
        assert eng.compile({"tags": []}).evaluate({}) == ["a", "b"]
        with pytest.raises(RuleEvaluationError, match="'bad' failed: TypeError"):
            eng.compile({"bad": []}).evaluate({})

    def test_doc_examples_check_clean(self, engine: RuleEngine) -> None:
        for f in builtin_functions():
            example = f.doc.rsplit("Example:", 1)[1].strip()
            assert engine.check(json.loads(example)) == [], f.name


def test_loading_is_reexported_by_the_engine() -> None:
    """load/build.py, docgen and docs/rule-functions.md import these from the engine."""
    assert engine_module.builtin_functions is loading.builtin_functions
    assert engine_module.load_rule_module is loading.load_rule_module
    assert engine_module.BUILTIN_MODULES is loading.BUILTIN_MODULES
