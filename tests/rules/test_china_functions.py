"""The China-specific operators, called the way rules call them: through the engine."""

from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest

from yijian.rules import functions
from yijian.rules.builtins import china, cnid
from yijian.rules.context import evaluation_day
from yijian.rules.engine import RuleEngine

DAY = date(2025, 6, 30)
BORN_1990 = "110101199003071233"  # 男, born 1990-03-07
USCC = "91350100M000100Y43"


def make_id(birth: date, serial: int = 123) -> str:
    first17 = f"110101{birth:%Y%m%d}{serial:03d}"
    return first17 + cnid.id_card_check_char(first17)


@pytest.fixture(scope="module")
def engine() -> RuleEngine:
    return RuleEngine(functions.collect(china))


@pytest.fixture(autouse=True)
def pinned_day() -> Iterator[None]:
    with evaluation_day(DAY):
        yield


def run(engine: RuleEngine, rule: Any, data: Any = None) -> Any:
    return engine.compile(rule).evaluate(data or {})


def test_operators_are_collected_with_their_arity() -> None:
    found = {fn.name: (fn.min_args, fn.max_args) for fn in functions.collect(china)}
    assert found == {
        "id_card_valid": (1, 1),
        "id_card_birth_date": (1, 1),
        "id_card_sex": (1, 1),
        "id_card_age": (1, 2),
        "uscc_valid": (1, 1),
        "mobile_valid": (1, 1),
        "bank_card_valid": (1, 1),
    }


def test_id_card_from_the_answers(engine: RuleEngine) -> None:
    data = {"applicant": {"id_number": BORN_1990}}
    var = {"var": "applicant.id_number"}
    assert run(engine, {"id_card_valid": [var]}, data) is True
    assert run(engine, {"id_card_birth_date": [var]}, data) == "1990-03-07"
    assert run(engine, {"id_card_sex": [var]}, data) == "男"
    assert run(engine, {"id_card_age": [var]}, data) == 35
    assert run(engine, {"id_card_age": [var, "1991-03-06"]}, data) == 0
    assert run(engine, {"id_card_age": [var, "1991-03-07T08:00"]}, data) == 1


def test_half_filled_form_gives_false_or_null(engine: RuleEngine) -> None:
    var = {"var": "applicant.id_number"}
    for data in ({}, {"applicant": {"id_number": "1101011990"}}, {"applicant": None}):
        assert run(engine, {"id_card_valid": [var]}, data) is False
        assert run(engine, {"id_card_birth_date": [var]}, data) is None
        assert run(engine, {"id_card_sex": [var]}, data) is None
        assert run(engine, {"id_card_age": [var]}, data) is None
    assert run(engine, {"id_card_age": [BORN_1990, "not a date"]}) is None
    assert run(engine, {"id_card_age": [BORN_1990, "1980-01-01"]}) is None  # not yet born


def test_validity_follows_the_evaluation_day(engine: RuleEngine) -> None:
    newborn = make_id(date(2025, 7, 1))
    rule = engine.compile({"id_card_valid": [{"var": "id"}]})
    assert rule.evaluate({"id": newborn}) is False  # born after the evaluation day
    with evaluation_day(date(2025, 7, 1)):
        assert rule.evaluate({"id": newborn}) is True


def test_sex_survives_the_json_round_trip(engine: RuleEngine) -> None:
    female = make_id(date(1970, 1, 1), 124)
    assert run(engine, {"==": [{"id_card_sex": [female]}, "女"]}) is True


def test_retirement_style_rule(engine: RuleEngine) -> None:
    rule = {
        "and": [
            {"id_card_valid": [{"var": "id"}]},
            {">=": [{"id_card_age": [{"var": "id"}]}, 60]},
        ]
    }
    assert run(engine, rule, {"id": make_id(date(1965, 6, 30))}) is True
    assert run(engine, rule, {"id": make_id(date(1965, 7, 1))}) is False


@pytest.mark.parametrize(
    "op,good,bad",
    [
        ("uscc_valid", USCC, "91350100M000100Y44"),
        ("uscc_valid", "11100000000013338w", "11100000000013338"),
        ("mobile_valid", "+86 138-1234-5678", "12812345678"),
        ("bank_card_valid", "4111 1111 1111 1111", "4111111111111112"),
    ],
)
def test_other_validators(engine: RuleEngine, op: str, good: str, bad: str) -> None:
    assert run(engine, {op: [{"var": "v"}]}, {"v": good}) is True
    assert run(engine, {op: [{"var": "v"}]}, {"v": bad}) is False
    assert run(engine, {op: [{"var": "v"}]}, {}) is False
    assert run(engine, {op: [{"var": "v"}]}, {"v": 12345}) is False


def test_docstrings_have_summary_paragraph_and_example() -> None:
    for fn in functions.collect(china):
        summary, *rest = fn.doc.split("\n\n")
        assert "\n" not in summary and summary.endswith("."), fn.name
        assert rest[-1].startswith("Example: {"), fn.name
