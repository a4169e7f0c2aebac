"""Definition analysis (issue 12): `yijian check` warns of rules that cannot change their mind,
questions nobody reads, materials nobody needs and a bundle asking one question twice.

Each folder under tests/fixtures/warnings/ is a root with one planted defect of one kind (named
by its code); ``expected.txt`` holds the warnings `yijian check` must print, in order, and the
check must still pass. The example root and the demo root must draw no analysis warning.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from demo_root import make_root
from yijian.cli import main
from yijian.load.analysis.codes import ANALYSIS_CODES
from yijian.load.analysis.solver import outcomes
from yijian.rules.engine import RuleEngine, builtin_functions

REPO = Path(__file__).resolve().parents[2]
FIXTURES = REPO / "tests" / "fixtures" / "warnings"
CODES = {entry[0] for entry in ANALYSIS_CODES}
FOUND = re.compile(r"^(matters/.*\[(E-[A-Z-]+)\])$", re.M)


def analysis_lines(out: str) -> list[str]:
    return [line for line, code in FOUND.findall(out) if code in CODES]


def fixture_roots() -> list[Path]:
    return sorted(p for p in FIXTURES.iterdir() if p.is_dir())


def test_every_analysis_code_has_a_planted_defect() -> None:
    assert {p.name for p in fixture_roots()} == CODES


@pytest.mark.parametrize("root", fixture_roots(), ids=lambda p: p.name)
def test_planted_defect_is_found(root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    expected = (root / "expected.txt").read_text(encoding="utf-8").splitlines()
    status = main(["--root", str(root), "check"])
    out = capsys.readouterr().out
    assert status == 0, out  # warnings: the definitions still load
    assert analysis_lines(out) == expected, out
    assert all(f"[{root.name}]" in line for line in expected)


def test_the_examples_draw_no_analysis_warning(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--root", str(REPO), "check"]) == 0
    assert analysis_lines(capsys.readouterr().out) == []


def test_the_demo_root_draws_no_analysis_warning(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--root", str(make_root(tmp_path)), "check"]) == 0
    assert analysis_lines(capsys.readouterr().out) == []


# -- the solver ------------------------------------------------------------------------------

ENGINE = RuleEngine(builtin_functions())
FIELDS = {
    "age": [None, 0, 17, 18, 150],  # as the domains give a number in 0..150 split at 18
    "kind": [None, "个人", "单位"],
    "ok": [None, True, False],
}


def can(rule: object, derived: dict[str, object] | None = None) -> frozenset[bool] | None:
    return outcomes(rule, ENGINE, lambda name, _pool: FIELDS.get(name), derived)


def test_options_decide_equality() -> None:
    assert can({"==": [{"var": "kind"}, "企业"]}) == {False}
    assert can({"!=": [{"var": "kind"}, "企业"]}) == {True}
    assert can({"==": [{"var": "kind"}, "单位"]}) == {True, False}


def test_contradiction_and_tautology() -> None:
    both = {"and": [{"var": "ok"}, {"!": {"var": "ok"}}]}
    assert can(both) == {False}
    assert can({"or": [{"!!": {"var": "ok"}}, {"!": {"var": "ok"}}]}) == {True}
    assert can({"if": [{"var": "ok"}, {"==": [{"var": "kind"}, "个人"]}, False]}) == {True, False}


def test_a_rule_function_is_free() -> None:
    """Whatever id_card_sex returns, the comparison can go both ways: no claim."""
    rule = {"==": [{"id_card_sex": [{"var": "person.id"}]}, "男"]}
    assert can(rule) == {True, False}


def test_a_derived_value_is_inlined() -> None:
    derived = {"adult": {">=": [{"var": "age"}, 18]}}
    assert can({"and": [{"var": "adult"}, {"<": [{"var": "age"}, 10]}]}, derived) == {False}
    assert can({"var": "adult"}, derived) == {True, False}


def test_free_text_compared_with_constants_takes_both_ways() -> None:
    assert can({"in": [{"var": "person.note"}, ["甲", "乙"]]}) == {True, False}
    assert can({">": [{"var": "person.count"}, 3]}) == {True, False}


def test_a_number_meets_a_numeric_text() -> None:
    """JsonLogic's loose equality: 18 == "18", so the number 18 must be tried."""
    assert can({"==": [{"var": "age"}, "18"]}) == {True, False}
    number = {"==": [{"var": "n"}, "18"]}
    assert outcomes(number, ENGINE, lambda name, pool: pool.number_values(0, 150)) == {True, False}


def test_a_domain_too_large_is_undecided() -> None:
    """Twelve free values that must all agree: more candidates than the limit, no claim."""
    rule = {"and": [{"==": [{"var": f"x{i}"}, f"v{i}"]} for i in range(12)]}
    assert can(rule) is None


# -- yijian graph ----------------------------------------------------------------------------


def test_graph_as_dot_links_fields_rules_materials_and_steps(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["--root", str(REPO), "graph", "birth-registration"]) == 0
    dot = capsys.readouterr().out
    assert dot.startswith('digraph "birth-registration" {')
    assert '"field:parents.married" -> "field:parents.marriage_cert_no";' in dot
    assert re.search(r'"field:[a-z_.]+" -> "(rule|material|situation):', dot)
    assert re.search(r'"step:[a-z_]+" -> "step:[a-z_]+";', dot)
    assert dot.rstrip().endswith("}")


def test_graph_as_mermaid_for_a_bundle(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "g.mmd"
    argv = ["--root", str(REPO), "graph", "newborn-bundle", "--format", "mermaid"]
    assert main([*argv, "--out", str(out)]) == 0
    text = out.read_text(encoding="utf-8")
    assert text.startswith("flowchart LR\n")
    assert re.search(r'^  n\d+\{"R3<br/>', text, re.M)  # a rule is a diamond
    assert re.search(r"^  n\d+ --> n\d+$", text, re.M)


def test_graph_of_an_unknown_id_says_the_closest(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--root", str(REPO), "graph", "birth-registraton"]) == 2
    assert "did you mean 'birth-registration'" in capsys.readouterr().err


# -- the authored disability bundle's shape (issue 12) ---------------------------------------

DISABILITY = REPO / "tests" / "fixtures" / "disability"
PLANTED = {
    # an option spelt differently in the rule: nobody can pass
    "matters/care-subsidy/rules.yaml": ('["一级", "二级"]', '["1级", "2级"]'),
    # the same question under another key with other option values
    "matters/living-subsidy/form.yaml": (
        "key: disability.level\n        type: select\n        label: 残疾等级\n"
        "        required: true\n        options: [一级, 二级, 三级, 四级]",
        "key: applicant.disability_level\n        type: select\n        label: 残疾等级\n"
        "        required: true\n        options: ['1', '2', '3', '4']",
    ),
    # a required field shown for an option that does not exist
    "matters/disability-card/form.yaml": ('"换领"]}', '"换证"]}'),
    # a situation whose rule cannot hold: its material is never asked for
    "matters/disability-card/rules.yaml": (
        '{"var": "applicant.needs_guardian"}',
        '{"and": [{"var": "applicant.needs_guardian"}, {">=": [{"var": "applicant.age"}, 18]}]}',
    ),
}


def test_the_disability_bundle_draws_no_warning_and_each_planted_defect_is_found(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Three members, optional ones after the first, a derived value choosing a situation,
    dated parameters: clean, no warning; then one defect of each rule kind in it."""
    root = tmp_path / "root"
    shutil.copytree(DISABILITY, root)
    assert main(["--root", str(root), "check"]) == 0
    assert analysis_lines(capsys.readouterr().out) == []
    for rel, (before, after) in PLANTED.items():
        path = root / rel
        text = path.read_text(encoding="utf-8")
        assert before in text, rel
        path.write_text(text.replace(before, after), encoding="utf-8")
    assert main(["--root", str(root), "check"]) == 0
    found = analysis_lines(capsys.readouterr().out)
    codes = sorted(re.findall(r"\[(E-[A-Z-]+)\]$", line)[0] for line in found)
    assert codes == [
        "E-BUNDLE-QUESTION-MISMATCH",
        "E-ELIGIBILITY-CONSTANT",
        "E-MATERIAL-UNREACHABLE",
        "E-REQUIRED-HIDDEN",
    ], "\n".join(found)
    assert any(
        line.startswith("matters/care-subsidy/rules.yaml:")
        and "R1 (重度残疾) can never pass" in line
        for line in found
    )
    assert any("guardian_proof" in line for line in found)


def test_the_disability_bundle_graph(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--root", str(DISABILITY), "graph", "disability-bundle"]) == 0
    dot = capsys.readouterr().out
    assert '"field:applicant.age" -> "derived:applicant.needs_guardian";' in dot
    assert '"derived:applicant.needs_guardian" -> "situation:disability-card.guardian";' in dot
    assert '"param:income_line" -> "rule:' in dot
