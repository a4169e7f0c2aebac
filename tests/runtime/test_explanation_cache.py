"""The explanation's words remembered per rule and the values it read (issue 14, item 1).

Every failing answer change explains its rule again for the banner; ``explain`` keeps the
reasons' words by (matter, rule, the values the rule read, the day) and looks the places and
answers they cite up every time. These tests compare it with a fresh explanation
(``explain_rule``), with other answers, and across a hot reload.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from demo_root import FORM, RULES, make_root
from explaincases import SNAP, candidates, questions
from yijian.registry.snapshot import Registry
from yijian.runtime.answers import put
from yijian.runtime.evaluate import Context, evaluate
from yijian.runtime.explanation import explain, explain_rule
from yijian.runtime.wording import Namer

DAY = Context(date(2025, 3, 1))  # the income limit is 1000 then


def _applicant(income: Any) -> dict[str, Any]:
    person = {"name": "王芳", "id_number": "11010519491231002X", "disabled": False}
    return {"applicant": {**person, "income": income}}


def _fresh(m: Any, out: Any) -> dict[str, Any]:
    from yijian.runtime.explanation import _namer

    namer: Namer = _namer(m, out, None)
    return {r.spec.id: explain_rule(m, out, r, namer) for r in out.rules if r.passed is False}


def test_the_remembered_words_are_a_fresh_explanations_and_other_answers_get_their_own(
    tmp_path: Path,
) -> None:
    reg = Registry(make_root(tmp_path), disk_cache=False)
    assert reg.load() is not None
    m = reg.current.matters["demo"]
    seen = []
    for income in (1500, 1600, 1500, 1600, "1500"):
        out = evaluate(m, _applicant(income), DAY)
        first, again = explain(m, out)["income"], explain(m, out)["income"]
        assert first == again == _fresh(m, out)["income"]
        seen.append(first.summary)
    assert seen[0] == "请注意：月收入须不超过 1000，您填写的是 1500（第 1 页 月收入）"
    assert seen[1] == "请注意：月收入须不超过 1000，您填写的是 1600（第 1 页 月收入）"
    assert seen[2:4] == seen[:2]


def test_a_reloaded_matter_never_gets_the_words_of_the_old_one(tmp_path: Path) -> None:
    root = make_root(tmp_path)
    reg = Registry(root, disk_cache=False)
    assert reg.load() is not None
    old = reg.current.matters["demo"]
    out = evaluate(old, _applicant(1500), DAY)
    assert "月收入须不超过 1000" in explain(old, out)["income"].summary
    # the same rule, the same answers: only the question's label changes
    form = root / "matters" / "demo" / "form.yaml"
    form.write_text(FORM.replace("label: 月收入\n", "label: 家庭月收入\n"), encoding="utf-8")
    assert reg.load([form]) is not None, [d.format() for d in reg.last_errors]
    new = reg.current.matters["demo"]
    assert new is not old
    out = evaluate(new, _applicant(1500), DAY)
    e = explain(new, out)["income"]
    assert e.summary == "请注意：家庭月收入须不超过 1000，您填写的是 1500（第 1 页 家庭月收入）"
    assert e == _fresh(new, out)["income"]


#: the limit depends on the day, which the rule reads through ``today``, not through a var
BY_DAY = RULES.replace(
    '{"<=": [{"var": "applicant.income"}, {"var": "params.income_limit"}]}',
    '{"<=": [{"var": "applicant.income"}, '
    '{"if": [{"==": [{"today": []}, "2025-03-01"]}, 1000, 2000]}]}',
)


def test_a_rule_that_reads_the_day_is_explained_as_of_each_day(tmp_path: Path) -> None:
    assert BY_DAY != RULES
    reg = Registry(make_root(tmp_path, rules_yaml=BY_DAY), disk_cache=False)
    assert reg.load() is not None, [d.format() for d in reg.last_errors]
    m = reg.current.matters["demo"]
    first = evaluate(m, _applicant(2500), DAY)
    assert "为 1000（" in explain(m, first)["income"].summary  # the limit that day
    second = evaluate(m, _applicant(2500), Context(date(2025, 3, 2)))
    e = explain(m, second)["income"]
    assert "为 2000（" in e.summary
    assert e == _fresh(m, second)["income"]


EXAMPLE_RULES = [(mid, s) for mid, m in sorted(SNAP.matters.items()) for s in m.eligibility]


@st.composite
def _case(draw: st.DrawFn) -> tuple[str, dict[str, Any], date]:
    mid, spec = draw(st.sampled_from(EXAMPLE_RULES))
    m = SNAP.matters[mid]
    answers: dict[str, Any] = {}
    for key in questions(m, spec):
        put(answers, key, draw(st.sampled_from(candidates(m, key))))
    return mid, answers, draw(st.dates(date(2024, 1, 1), date(2040, 12, 31)))


@settings(max_examples=150, deadline=None)
@given(case=_case())
def test_every_example_rule_is_explained_as_afresh_however_often_it_is_asked(case: Any) -> None:
    mid, answers, day = case
    m = SNAP.matters[mid]
    out = evaluate(m, answers, Context(day))
    fresh = _fresh(m, out)
    assert explain(m, out) == fresh
    assert explain(m, out) == fresh  # remembered now
