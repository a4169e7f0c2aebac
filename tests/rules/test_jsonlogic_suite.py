"""The official JsonLogic conformance suite (see JSONLOGIC-TESTS-SOURCE.md), run through our
engine with no rule functions: the semantics county admins read about on jsonlogic.com."""

import json
from pathlib import Path
from typing import Any

import datalogic_py as dl
import pytest

from yijian.rules.engine import RuleEngine

SUITE = json.loads((Path(__file__).parent / "jsonlogic-tests.json").read_text(encoding="utf-8"))
CASES = [case for case in SUITE if not isinstance(case, str)]  # strings are section comments


def same(result: Any, expected: Any) -> bool:
    """Equal, and of the same JSON type (1 is not true, 1 is 1.0)."""
    if isinstance(expected, bool) or isinstance(result, bool):
        return result is expected
    if isinstance(expected, list):
        return (
            isinstance(result, list)
            and len(result) == len(expected)
            and all(same(r, e) for r, e in zip(result, expected, strict=True))
        )
    if isinstance(expected, dict):
        return (
            isinstance(result, dict)
            and result.keys() == expected.keys()
            and all(same(result[k], v) for k, v in expected.items())
        )
    return result == expected and (result is None) == (expected is None)


@pytest.fixture(scope="module")
def engine() -> RuleEngine:
    return RuleEngine([])


def test_suite_size() -> None:
    assert len(CASES) == 277


@pytest.mark.parametrize("rule,data,expected", CASES, ids=[json.dumps(c[0])[:60] for c in CASES])
def test_case(engine: RuleEngine, rule: Any, data: Any, expected: Any) -> None:
    assert same(engine.compile(rule).evaluate(data), expected)


@pytest.mark.xfail(
    strict=True,
    raises=dl.ParseError,
    reason=(
        "datalogic_py reads every Python str passed as a rule as JSON text, so the suite's "
        "bare-string rule 'apple' is a parse error: 276/277 through the raw binding. "
        "RuleEngine JSON-encodes a bare string first and passes 277/277; if this starts "
        "passing, the binding changed and the workaround in engine._as_native can go."
    ),
)
def test_known_miss_of_the_raw_binding() -> None:
    (rule, data, expected) = next(c for c in CASES if c[0] == "apple")
    assert dl.Engine().compile(rule).evaluate(data) == expected
