"""Validation errors as admins read them: located, coded, with "did you mean", and no noise."""

from __future__ import annotations

from pathlib import Path

from yijian.defs import FormDef, MatterDef, RoutingDef
from yijian.load.source import FileCache
from yijian.load.validate import validate
from yijian.located.diagnostics import Diagnostic
from yijian.located.yamlsrc import parse

MATTER = """\
code: "DEMO-001"
name: 演示事项
kind: 公共服务
service_objects: [自然人]
department: {name: 县民政局}
legal_basis: [{name: 《演示条例》}]
time_limits:
  legal: {days: 20}
  promised: {days: 5}
case_type: 承诺件
visits: 0
handle_forms: [网上]
result: {type: 出文办结, name: 给付决定书}
service: {place: 县政务服务中心, hours: 工作日, phone: "12345", supervision: "12345"}
"""
FORM = """\
pages:
  - id: main
    title: 申请人
    fields:
      - key: applicant.name
        type: text
        label: 姓名
"""


def check(model: type, text: str) -> list[Diagnostic]:
    data, problems = parse(text)
    assert problems == []
    obj, diags = validate(model, data, "f.yaml", text)
    assert (obj is None) == bool(diags)
    return diags


def lines(diags: list[Diagnostic]) -> list[str]:
    return [d.format().splitlines()[0] for d in diags]


def test_valid_files_pass() -> None:
    assert check(MatterDef, MATTER) == []
    assert check(FormDef, FORM) == []


def test_unknown_key_with_did_you_mean_and_allowed_keys() -> None:
    diags = check(MatterDef, MATTER.replace("visits: 0", "visits: 0\nshort_nmae: 演示"))
    assert lines(diags) == [
        "f.yaml:12:1: short_nmae: unknown key 'short_nmae'; did you mean 'short_name'? "
        "[E-KEY-UNKNOWN]"
    ]
    assert "allowed keys here: " in (diags[0].hint or "")


def test_misspelt_required_key_is_one_error_not_two() -> None:
    """`nmae` is unknown and `name` is missing: one cause, reported once."""
    diags = check(MatterDef, MATTER.replace("name: 演示事项", "nmae: 演示事项"))
    assert lines(diags) == [
        "f.yaml:2:1: nmae: unknown key 'nmae'; did you mean 'name'? [E-KEY-UNKNOWN]"
    ]


def test_missing_key_without_a_misspelling_is_reported() -> None:
    diags = check(MatterDef, MATTER.replace("case_type: 承诺件\n", "remark: x\n"))
    assert {d.code for d in diags} == {"E-KEY-UNKNOWN", "E-KEY-MISSING"}


def test_nested_unknown_key_is_located_at_the_key() -> None:
    diags = check(MatterDef, MATTER.replace("promised: {days: 5}", "promised: {dyas: 5}"))
    assert lines(diags) == [
        "f.yaml:9:14: time_limits.promised.dyas: unknown key 'dyas'; did you mean 'days'? "
        "[E-KEY-UNKNOWN]"
    ]
    assert diags[0].hint == "allowed keys here: days, note, unit"


def test_enum_value_with_did_you_mean_and_choices() -> None:
    diags = check(MatterDef, MATTER.replace("kind: 公共服务", "kind: 公共服"))
    assert lines(diags) == [
        "f.yaml:3:7: kind: unknown value '公共服'; did you mean '公共服务'? [E-VALUE-CHOICE]"
    ]
    assert "行政许可" in (diags[0].hint or "")


def test_enum_inside_a_list() -> None:
    diags = check(
        MatterDef, MATTER.replace("handle_forms: [网上]", "handle_forms: [网上, 快递申清]")
    )
    assert lines(diags) == [
        "f.yaml:12:20: handle_forms[1]: unknown value '快递申清'; did you mean '快递申请'? "
        "[E-VALUE-CHOICE]"
    ]


def test_field_type_has_its_own_code_and_nested_location() -> None:
    diags = check(FormDef, FORM.replace("type: text", "type: idcard"))
    assert lines(diags) == [
        "f.yaml:6:15: pages[0].fields[0].type: unknown field type 'idcard'; "
        "did you mean 'id_card'? [E-FIELD-TYPE]"
    ]


def test_step_kind_is_a_value_choice() -> None:
    text = "steps:\n  - {id: a, name: 受理, kind: acept, time_limit: 1}\n"
    assert [d.code for d in check(RoutingDef, text)] == ["E-VALUE-CHOICE"]


def test_patterns_are_explained_in_words() -> None:
    diags = check(FormDef, FORM.replace("key: applicant.name", "key: Applicant.Name"))
    assert lines(diags) == [
        "f.yaml:5:14: pages[0].fields[0].key: 'Applicant.Name' is not valid: a key is lowercase "
        "letters, digits and '_' in parts joined by '.', e.g. child.birth_date [E-VALUE-FORMAT]"
    ]
    assert "^[" not in diags[0].message


def test_model_rule_errors_carry_their_own_code() -> None:
    diags = check(FormDef, FORM.replace("type: text", "type: select"))
    assert [(d.code, d.loc, d.line) for d in diags] == [
        ("E-FIELD-OPTIONS", "pages[0].fields[0]", 5)
    ]


def test_range_and_type_errors() -> None:
    assert [d.code for d in check(MatterDef, MATTER.replace("visits: 0", "visits: 9"))] == [
        "E-VALUE-RANGE"
    ]
    assert [d.code for d in check(MatterDef, MATTER.replace("visits: 0", "visits: 两次"))] == [
        "E-VALUE-INVALID"
    ]
    diags = check(MatterDef, MATTER.replace("department: {name: 县民政局}", "department: 县民政局"))
    assert [(d.code, d.loc) for d in diags] == [("E-VALUE-TYPE", "department")]


def test_a_list_emptied_by_failing_items_is_not_reported_again() -> None:
    diags = check(FormDef, FORM.replace("type: text", "type: txt"))
    assert [d.code for d in diags] == ["E-FIELD-TYPE"]


def test_every_error_of_a_file_is_reported() -> None:
    text = MATTER.replace("kind: 公共服务", "kind: 公共服").replace("visits: 0", "visits: 9")
    text = text.replace("promised: {days: 5}", "promised: {dyas: 5}")
    assert sorted(d.code for d in check(MatterDef, text)) == [
        "E-KEY-UNKNOWN",
        "E-VALUE-CHOICE",
        "E-VALUE-RANGE",
    ]


def test_a_file_that_is_not_a_mapping() -> None:
    data, _ = parse("- a\n- b\n")
    obj, diags = validate(MatterDef, data, "f.yaml", "- a\n- b\n")
    assert obj is None
    assert lines(diags) == [
        "f.yaml:1:1: the file must be a mapping of keys to values [E-VALUE-TYPE]"
    ]


def test_number_code_is_reported_once(tmp_path: Path) -> None:
    """YAML reads 0440100 as 147520; the model would refuse the number too: one report."""
    path = tmp_path / "matter.yaml"
    path.write_text(MATTER.replace('code: "DEMO-001"', "code: 0440100"), encoding="utf-8")
    src = FileCache().read(tmp_path, path, MatterDef)
    assert src.model is None
    assert lines(list(src.diagnostics)) == [
        "matter.yaml:1:7: '0440100' is read by YAML as the number 147520, not as written "
        "[E-YAML-NUMBER-CODE]"
    ]


def test_unquoted_number_code_without_zero_is_refused_by_the_model() -> None:
    diags = check(MatterDef, MATTER.replace('code: "DEMO-001"', "code: 4401"))
    assert [(d.code, d.loc) for d in diags] == [("E-YAML-NUMBER-CODE", "code")]
