from pathlib import Path

from demo_root import FORM, RULES, make_root
from yijian.registry.snapshot import Registry


def _errors(root: Path) -> list[str]:
    reg = Registry(root)
    reg.load()
    return [d.format().splitlines()[0] for d in reg.last_errors]


def test_demo_compiles_clean(tmp_path: Path) -> None:
    assert _errors(make_root(tmp_path)) == []


def test_unknown_variable_is_located_with_did_you_mean(tmp_path: Path) -> None:
    rules = RULES.replace('{"var": "applicant.adult"}', '{"var": "applicant.adlt"}')
    errors = _errors(make_root(tmp_path, rules_yaml=rules))
    assert errors == [
        "matters/demo/rules.yaml:16:19: eligibility[0].when.var: unknown variable "
        "'applicant.adlt'; did you mean 'applicant.adult'? [E-RULE-VAR]"
    ]


def test_derived_values_may_read_only_earlier_ones(tmp_path: Path) -> None:
    swapped = RULES.replace("key: applicant.age\n", "key: applicant.tmp\n").replace(
        "key: applicant.adult", "key: applicant.age"
    )
    errors = _errors(make_root(tmp_path, rules_yaml=swapped))
    assert any("unknown variable 'applicant.age'" in e and "[E-RULE-VAR]" in e for e in errors)


def test_unknown_operator_and_argument_count(tmp_path: Path) -> None:
    rules = RULES.replace("id_card_age:", "id_crad_age:").replace(
        '{"<=": [{"var": "applicant.income"}, {"var": "params.income_limit"}]}',
        '{"<=": [{"var": "applicant.income"}]}',
    )
    errors = _errors(make_root(tmp_path, rules_yaml=rules))
    assert any("id_crad_age" in e and "[E-RULE-OPERATOR]" in e for e in errors)
    assert any("[E-RULE-ARGS]" in e for e in errors)


def test_row_variables_exist_only_inside_repeat_rows(tmp_path: Path) -> None:
    form = FORM.replace(
        '{"<": [{"var": "applicant.income"}, 100000]}', '{"<": [{"var": "row.age"}, 1]}'
    )
    errors = _errors(make_root(tmp_path, form_yaml=form))
    assert len(errors) == 1 and "unknown variable 'row.age'" in errors[0]


def test_use_of_missing_library_field_and_duplicate_key(tmp_path: Path) -> None:
    form = FORM.replace("use: person.name,", "use: person.nmae,").replace(
        "key: applicant.disabled,", "key: applicant.id_number,"
    )
    errors = _errors(make_root(tmp_path, form_yaml=form))
    assert any(
        "unknown library field 'person.nmae'; did you mean 'person.name'?" in e for e in errors
    )
    assert any("[E-FIELD-DUPLICATE]" in e and "asked twice" in e for e in errors)


def test_every_error_of_every_file_is_reported_at_once(tmp_path: Path) -> None:
    root = make_root(
        tmp_path,
        rules_yaml=RULES.replace("applicant.adult", "applicant.adlt", 1),
        routing_yaml="steps:\n  - {id: a, name: A, kind: accept, time_limit: 1, after: [b]}\n"
        "  - {id: b, name: B, kind: review, time_limit: 1, after: [a]}\n",
    )
    errors = _errors(root)
    files = {e.split(":")[0] for e in errors}
    assert files == {"matters/demo/rules.yaml", "matters/demo/routing.yaml"}
    assert any("[E-STEP-CYCLE]" in e for e in errors)
