"""yijian.runtime.explanation: a refusal in words, with labels, answers, pages and the site."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from explaincases import SNAP, candidates, questions
from yijian.rules.context import evaluation_day
from yijian.rules.engine import RuleEvaluationError, truthy
from yijian.runtime.answers import put
from yijian.runtime.evaluate import Context, evaluate
from yijian.runtime.explanation import explain

PENSION = SNAP.matters["pension-approval"]
RETIRE = SNAP.matters["retirement-eligibility"]
TODAY = date(2025, 6, 3)


def _answers(**pairs: Any) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs.items():
        put(out, key.replace("__", "."), value)
    return out


def test_a_choice_is_worded_with_its_label_the_answer_and_the_page() -> None:
    out = evaluate(PENSION, _answers(insurance__identity="机关事业单位"), Context(TODAY))
    e = explain(PENSION, out)["R1"]
    assert e.message.startswith("本事项核定企业职工基本养老保险待遇")  # the author's words stay
    assert e.summary == (
        "暂不符合：参保身份须为企业职工（由单位经办人代为申办）或灵活就业人员（本人申办），"
        "您填写的是机关事业单位工作人员（第 1 页 参保身份）"
    )
    (cite,) = e.reasons[0].cites
    assert (cite.page, cite.anchor, cite.page_no) == ("applicant", "f-insurance-identity", 1)


def test_the_staff_see_the_definition_file_and_line() -> None:
    out = evaluate(PENSION, _answers(insurance__identity="机关事业单位"), Context(TODAY))
    site = explain(PENSION, out)["R1"].site
    assert re.fullmatch(r"matters/pension-approval/rules\.yaml:\d+: eligibility\[0\]\.when", site)
    line = int(site.split(":")[1])
    text = (SNAP.root / "matters/pension-approval/rules.yaml").read_text(encoding="utf-8")
    assert "when:" in text.splitlines()[line - 1]


def test_a_derived_value_is_named_by_its_label_and_cites_the_answered_questions() -> None:
    answers = _answers(applicant__id_number="371702196505011235", insurance__identity="企业职工")
    out = evaluate(RETIRE, answers, Context(TODAY))
    e = explain(RETIRE, out)["R2"]
    (reason,) = e.reasons
    assert "退休日期" in reason.text and "retire." not in reason.text
    assert "为 2025-07-01" in reason.text and "办理当日为 2025-06-03" in reason.text
    assert [c.key for c in reason.cites] == ["applicant.id_number"]  # unanswered ones left out


def test_nothing_is_explained_when_every_rule_passes() -> None:
    out = evaluate(PENSION, _answers(insurance__identity="企业职工"), Context(TODAY))
    assert explain(PENSION, out) == {}


# -- property over the examples: random answers, every reason's leaf really fails ----------

RULES = [(mid, s) for mid, m in sorted(SNAP.matters.items()) for s in m.eligibility]


@st.composite
def _case(draw: st.DrawFn) -> tuple[str, Any, dict[str, Any], date]:
    mid, spec = draw(st.sampled_from(RULES))
    m = SNAP.matters[mid]
    answers: dict[str, Any] = {}
    for key in questions(m, spec):
        put(answers, key, draw(st.sampled_from(candidates(m, key))))
    day = draw(st.dates(date(2024, 1, 1), date(2040, 12, 31)))
    return mid, spec, answers, day


@settings(max_examples=150, deadline=None)
@given(case=_case())
def test_each_reason_of_an_example_rule_is_a_leaf_that_really_fails(case: Any) -> None:
    from yijian.rules.explain import failing_leaves

    mid, spec, answers, day = case
    m = SNAP.matters[mid]
    out = evaluate(m, answers, Context(day))
    result = next((r for r in out.rules if r.spec.id == spec.id), None)
    if result is None or result.passed is not False:
        return
    with evaluation_day(day):
        leaves = failing_leaves(spec.when, out.data)
    assert leaves
    e = explain(m, out)[spec.id]
    assert len(e.reasons) == len(leaves)
    engine = spec.when.engine
    assert engine is not None
    for leaf in leaves:
        with evaluation_day(day):
            try:
                held = truthy(engine.compile(leaf.expr).evaluate(out.data))
            except RuleEvaluationError:
                held = None
        assert leaf.error or held is not leaf.wanted
