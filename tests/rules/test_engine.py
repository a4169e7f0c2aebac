"""The engine wrapper: checking, compiling, evaluating, rule functions and their loading."""

import importlib.metadata
import json
import sys
import textwrap
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from pathlib import Path
from types import ModuleType
from typing import Any, ClassVar

import datalogic_py as dl
import pytest

from yijian.rules import engine as engine_module
from yijian.rules.engine import (
    CompiledRule,
    RuleCompileError,
    RuleEngine,
    RuleEvaluationError,
    RuleProblem,
    builtin_functions,
    load_rule_module,
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


class TestBuiltinFunctions:
    def test_this_environment(self) -> None:
        found = builtin_functions()
        assert {f.name for f in found} == BUILTIN_NAMES
        assert len(found) == len(BUILTIN_NAMES)

    def test_without_dist_metadata_imports_the_modules(
        self, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        def absent(name: str) -> None:
            raise importlib.metadata.PackageNotFoundError(name)

        monkeypatch.setattr(importlib.metadata, "distribution", absent)
        monkeypatch.setattr(importlib.metadata, "entry_points", lambda group: [])
        found = builtin_functions()
        assert [f.origin for f in found[:1]] == ["yijian.rules.builtins.china"]
        assert {f.name for f in found} == BUILTIN_NAMES

    def test_entry_points(self, monkeypatch: pytest.MonkeyPatch) -> None:
        plugin = ModuleType("yijian_test_plugin")

        @rule_function("plugin_op")
        def plugin_op() -> int:
            return 1

        plugin_op.__module__ = plugin.__name__  # as if defined in the plugin package
        plugin.plugin_op = plugin_op  # type: ignore[attr-defined]
        monkeypatch.setitem(sys.modules, "yijian_test_plugin", plugin)
        points = [
            importlib.metadata.EntryPoint("p", "yijian_test_plugin", "yijian.rule_functions"),
            *(
                importlib.metadata.EntryPoint(m.rsplit(".")[-1], m, "yijian.rule_functions")
                for m in engine_module.BUILTIN_MODULES
            ),
        ]
        monkeypatch.setattr(importlib.metadata, "distribution", lambda name: object())
        monkeypatch.setattr(importlib.metadata, "entry_points", lambda group: points)
        names = [f.name for f in builtin_functions()]
        assert set(names) == BUILTIN_NAMES | {"plugin_op"}
        assert len(names) == len(BUILTIN_NAMES) + 1


class TestLoadRuleModule:
    SOURCE = """
        from yijian.rules.functions import rule_function

        @rule_function("household_size")
        def household_size(members: object) -> int:
            '''Members of the household, the applicant included.'''
            return len(members) + {n} if isinstance(members, list) else 0
    """

    def write(self, path: Path, source: str) -> Path:
        path.write_text(textwrap.dedent(source), encoding="utf-8")
        return path

    def test_loads_and_reloads_fresh(self, tmp_path: Path) -> None:
        path = self.write(tmp_path / "family.py", self.SOURCE.replace("{n}", "1"))
        functions, error = load_rule_module(path)
        assert error is None
        assert [(f.name, f.origin) for f in functions] == [("household_size", str(path))]
        assert functions[0].func(["a", "b"]) == 3
        # same length, same second: a cached .pyc would hand back the old code
        self.write(path, self.SOURCE.replace("{n}", "2"))
        functions, error = load_rule_module(path)
        assert error is None and functions[0].func(["a", "b"]) == 4
        assert not (tmp_path / "__pycache__").exists()
        assert not [m for m in sys.modules if m.startswith("yijian_rules_")]

    def test_syntax_error_has_file_and_line(self, tmp_path: Path) -> None:
        path = self.write(tmp_path / "broken.py", "x = 1\ndef f(:\n    pass\n")
        assert load_rule_module(path) == ([], f"{path}:2: SyntaxError: invalid syntax")

    def test_runtime_error_has_file_and_line(self, tmp_path: Path) -> None:
        path = self.write(tmp_path / "oops.py", "import json\n\nVALUE = json.loads('{')\n")
        functions, error = load_rule_module(path)
        assert functions == []
        assert error is not None and error.startswith(f"{path}:3: JSONDecodeError: ")

    def test_never_raises(self, tmp_path: Path) -> None:
        functions, error = load_rule_module(tmp_path / "missing.py")
        assert functions == [] and error is not None and "missing.py" in error
        exits = self.write(tmp_path / "exits.py", "raise SystemExit(3)\n")
        assert load_rule_module(exits)[1] == f"{exits}:1: SystemExit: 3"

    def test_usable_by_the_engine(self, tmp_path: Path) -> None:
        path = self.write(tmp_path / "family.py", self.SOURCE.replace("{n}", "1"))
        functions, _ = load_rule_module(path)
        eng = RuleEngine([*builtin_functions(), *functions])
        rule = eng.compile({"<=": [{"household_size": [{"var": "members"}]}, 3]})
        assert rule.evaluate({"members": ["父", "母"]}) is True


def test_reference_docs_list_every_builtin() -> None:
    doc = (Path(__file__).parents[2] / "docs" / "rule-functions.md").read_text(encoding="utf-8")
    headings = {line[4:].strip() for line in doc.splitlines() if line.startswith("### ")}
    assert headings == BUILTIN_NAMES
    for f in builtin_functions():
        assert f.doc.rsplit("Example:", 1)[1].strip() in doc, f.name
