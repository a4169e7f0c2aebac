"""An evaluation copies no answers: its data shares what it does not write with the answers
(a 200-field draft's deep copy was a fifth of the evaluation, issue 14), and a derived value
under a dotted key copies the dicts on its way, so the caller's answers never change."""

from __future__ import annotations

import copy
from datetime import date
from typing import Any

import pytest

from demo_root import make_root
from yijian.compiled.matter import CompiledMatter
from yijian.registry import Registry
from yijian.runtime.evaluate import Context, copy_answers, evaluate

ANSWERS: dict[str, Any] = {
    "applicant": {
        "name": "张三",
        "id_number": "11010519491231002X",
        "disabled": True,
        "income": 800,
    },
    "members": [{"name": "李四", "age": 30}],
    "_meta": {"chosen": []},
}
CTX = Context(date(2026, 12, 5))


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> CompiledMatter:
    registry = Registry(make_root(tmp_path_factory.mktemp("root")), disk_cache=False)
    snap = registry.load()
    assert snap is not None, registry.last_errors
    return snap.matters["demo"]


def test_derived_values_under_dotted_keys_leave_the_answers_as_they_were(
    demo: CompiledMatter,
) -> None:
    answers = copy.deepcopy(ANSWERS)
    out = evaluate(demo, answers, CTX, validate=True)
    assert answers == ANSWERS  # applicant.age and applicant.adult went into the outcome only
    assert out.data["applicant"]["age"] == 76 and out.data["applicant"]["adult"] is True
    assert out.data["applicant"]["name"] == "张三"
    assert out.data["applicant"] is not answers["applicant"]  # copied on the way to .age
    assert "age" not in answers["applicant"]
    again = evaluate(demo, answers, CTX, validate=True)  # the same answers: the same outcome
    assert (again.visible, again.required, again.failing) == (out.visible, out.required, [])


def test_what_the_evaluation_does_not_write_is_shared_not_copied(demo: CompiledMatter) -> None:
    answers = copy.deepcopy(ANSWERS)
    out = evaluate(demo, answers, CTX, validate=True)
    assert out.data["members"] is answers["members"]
    assert out.data["_meta"] is answers["_meta"]


def test_outcomes_of_one_answers_object_do_not_see_each_other(demo: CompiledMatter) -> None:
    """Two evaluations of the same answers (a page and its change) each copy what they write."""
    answers = copy.deepcopy(ANSWERS)
    first = evaluate(demo, answers, CTX)
    answers_later = {**answers, "applicant": {**answers["applicant"], "id_number": "440"}}
    second = evaluate(demo, answers_later, CTX)
    assert first.data["applicant"]["age"] == 76
    assert second.data["applicant"]["age"] is None
    assert first.data["applicant"] is not second.data["applicant"]


def test_a_path_through_a_non_mapping_answer_is_made_in_the_outcome_only(
    demo: CompiledMatter,
) -> None:
    answers = {**copy.deepcopy(ANSWERS), "applicant": "not a mapping"}
    out = evaluate(demo, answers, CTX)
    assert answers["applicant"] == "not a mapping"
    assert isinstance(out.data["applicant"], dict) and "age" in out.data["applicant"]


def test_copy_answers_is_deep_and_keeps_order_and_types() -> None:
    """The copy every answer edit starts from: nothing in it is shared with the original
    (an edit of the copy never reaches a kept outcome), scalars are the same values, keys keep
    their order, anything not JSON-shaped is deep-copied too."""
    original: dict[str, Any] = {
        "_meta": {"labels": {f"p{i:02d}.amount": f"第{i}页金额" for i in range(200)}},
        "b": [{"x": 1, "y": [1.5, None, True]}, "text"],
        "a": {"t": (1, [2])},
    }
    copied = copy_answers(original)
    assert copied == original and list(copied) == ["_meta", "b", "a"]
    assert copied["_meta"] is not original["_meta"]
    assert copied["_meta"]["labels"] is not original["_meta"]["labels"]
    assert copied["b"][0] is not original["b"][0]
    assert copied["b"][0]["y"] is not original["b"][0]["y"]
    assert copied["a"]["t"][1] is not original["a"]["t"][1]
    copied["_meta"]["labels"]["p00.amount"] = "改"
    copied["b"][0]["y"].append(0)
    assert original["_meta"]["labels"]["p00.amount"] == "第0页金额"
    assert original["b"][0]["y"] == [1.5, None, True]
