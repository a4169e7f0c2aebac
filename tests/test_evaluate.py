from datetime import date
from pathlib import Path

import pytest

from demo_root import make_root
from yijian.registry.snapshot import Registry
from yijian.runtime.evaluate import Context, evaluate, parameter_value


@pytest.fixture
def demo(tmp_path: Path):
    reg = Registry(make_root(tmp_path))
    assert reg.load() is not None, [d.format() for d in reg.last_errors]
    return reg.current.matters["demo"]


CTX = Context(date(2025, 9, 30))
ADULT = {"name": "王芳", "id_number": "11010519491231002X"}


def test_empty_answers_judge_nothing_and_show_first_page(demo) -> None:
    out = evaluate(demo, {}, CTX)
    assert out.eligible and out.failing == []
    assert out.pages == ["who"]
    assert "applicant.income" in out.visible and "applicant.income" in out.required
    assert out.errors == {}


def test_derived_values_feed_rules_and_warn_does_not_block(demo) -> None:
    out = evaluate(demo, {"applicant": {**ADULT, "disabled": False, "income": 1500}}, CTX)
    assert out.derived["applicant.age"] == 75
    assert out.failing == ["income"]
    assert out.eligible  # a warn rule informs, it does not block


def test_parameters_are_date_effective(demo) -> None:
    p = demo.parameters["income_limit"]
    assert parameter_value(p, date(2025, 6, 30)) == 1000
    assert parameter_value(p, date(2025, 7, 1)) == 1200
    assert parameter_value(p, date(2023, 1, 1)) is None
    early = evaluate(demo, {"applicant": {**ADULT, "income": 1100}}, Context(date(2025, 6, 1)))
    late = evaluate(demo, {"applicant": {**ADULT, "income": 1100}}, Context(date(2025, 7, 1)))
    assert early.failing == ["income"] and late.failing == []


def test_situation_switches_pages_fields_materials_and_steps(demo) -> None:
    plain = evaluate(demo, {"applicant": {"disabled": False}}, CTX)
    assert [m.material.id for m in plain.materials] == ["id_copy", "income_proof"]
    assert [m.material.id for m in plain.uploads] == ["income_proof"]
    assert [s.step.id for s in plain.steps] == ["accept", "review", "decide"]
    dis = evaluate(demo, {"applicant": {"disabled": True}}, CTX)
    assert dis.situations == ["disabled"]
    assert dis.pages == ["who", "family"]
    assert "applicant.income" not in dis.visible
    assert [m.material.id for m in dis.materials] == ["id_copy", "disability_card"]
    assert "visit" in [s.step.id for s in dis.steps]


def test_validation_reports_required_type_and_rule_errors(demo) -> None:
    answers = {"applicant": {"name": "", "id_number": "110105194912310021", "income": "200000"}}
    out = evaluate(demo, answers, CTX, validate=True)
    assert out.errors["applicant.name"] == "请填写姓名"
    assert "公民身份号码不正确" in out.errors["applicant.id_number"]
    assert out.errors["applicant.income"] == "月收入填写有误"
    assert out.errors["applicant.disabled"] == "请选择是否残疾人"


def test_repeat_rows_are_validated_row_by_row(demo) -> None:
    answers = {
        "applicant": {**ADULT, "disabled": True},
        "members": [{"name": "甲", "age": 30}, {"name": "", "age": 130}],
    }
    out = evaluate(demo, answers, CTX, validate={"family"})
    assert out.errors == {
        "members.1.name": "第 2 项成员：请填写姓名",
        "members.1.age": "第 2 项成员：年龄填写有误",
    }
    too_many = evaluate(
        demo, {**answers, "members": [{"name": "甲", "age": 1}] * 4}, CTX, validate={"family"}
    )
    assert too_many.errors["members"] == "家庭成员最多 3 项"
    none = evaluate(demo, {**answers, "members": []}, CTX, validate={"family"})
    assert none.errors["members"] == "请至少添加一项家庭成员"


def test_hostile_answers_never_raise(demo) -> None:
    answers = {
        "applicant": {"id_number": {"x": 1}, "income": ["<script>"], "disabled": "maybe"},
        "members": "not a list",
        "context": {"today": "forged"},
    }
    out = evaluate(demo, answers, CTX, validate=True)
    assert out.data["context"]["today"] == "2025-09-30"  # context cannot be forged by answers
    assert out.errors


def test_messages_show_the_citizens_own_values(tmp_path: Path) -> None:
    from demo_root import RULES

    rules = RULES.replace(
        "message: 月收入高于当地标准",
        "message: 月收入 {applicant.income} 元高于标准 {params.income_limit} 元",
    )
    reg = Registry(make_root(tmp_path, rules_yaml=rules))
    assert reg.load() is not None, [d.format() for d in reg.last_errors]
    out = evaluate(reg.current.matters["demo"], {"applicant": {"income": 1500}}, CTX)
    assert [r.text for r in out.rules if r.passed is False] == ["月收入 1500 元高于标准 1200 元"]


def test_message_placeholders_are_checked_at_load(tmp_path: Path) -> None:
    from demo_root import RULES

    rules = RULES.replace("message: 月收入高于当地标准", "message: 月收入 {applicant.incme} 元")
    reg = Registry(make_root(tmp_path, rules_yaml=rules))
    assert reg.load() is None
    (err,) = reg.last_errors
    assert err.code == "E-RULE-VAR" and "did you mean 'applicant.income'" in err.message
    assert err.loc == "eligibility[1].message"


def test_a_rule_failing_on_a_typed_value_never_locks_the_draft(tmp_path: Path) -> None:
    from demo_root import FORM

    form = FORM.replace(
        'visible_if: {"!==": [{"var": "applicant.disabled"}, true]}',
        'visible_if: {">": [{"*": [{"var": "applicant.household"}, 2]}, 1]}',
    ).replace(
        "      - {key: applicant.disabled,",
        "      - {key: applicant.household, type: number, label: 家庭人数}\n"
        "      - {key: applicant.disabled,",
    )
    reg = Registry(make_root(tmp_path, form_yaml=form))
    assert reg.load() is not None, [d.format() for d in reg.last_errors]
    out = evaluate(reg.current.matters["demo"], {"applicant": {"household": "12a"}}, CTX, True)
    assert "applicant.income" not in out.visible  # the broken comparison is simply not true
    assert out.errors["applicant.household"] == "家庭人数必须是数字"


def test_checking_some_fields_gives_exactly_their_whole_page_messages(tmp_path: Path) -> None:
    """`check_fields` (used by the htmx change) must agree with whole-page validation."""
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    from yijian.runtime.evaluate import check_fields

    reg = Registry(make_root(tmp_path))
    assert reg.load() is not None
    m = reg.current.matters["demo"]
    text = st.one_of(st.none(), st.text(max_size=8), st.sampled_from(["1500", "200000", "abc"]))
    answers = st.fixed_dictionaries(
        {
            "applicant": st.fixed_dictionaries(
                {
                    "name": text,
                    "id_number": st.sampled_from([None, "", "11010519491231002X", "1101"]),
                    "disabled": st.sampled_from([None, True, False, "maybe"]),
                    "income": text,
                }
            ),
            "members": st.one_of(
                st.none(),
                st.lists(
                    st.fixed_dictionaries({"name": text, "age": st.sampled_from([None, 30, 130])}),
                    max_size=4,
                ),
            ),
        }
    )

    @settings(max_examples=150, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(answers)
    def check(a: dict) -> None:
        for page in m.pages:
            whole = evaluate(m, a, CTX, validate={page.id}).errors
            plain = evaluate(m, a, CTX)
            for f in page.fields:
                got = check_fields(m, plain, CTX, page.id, [f])
                want = {k: v for k, v in whole.items() if k == f.key or k.startswith(f.key + ".")}
                assert got == want, (page.id, f.key, a)

    check()
