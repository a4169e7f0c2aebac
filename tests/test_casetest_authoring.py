"""cases.yaml can test what a policy brief asks (issue 12, items 3 and 7): a bundle's member
situations, the visits (跑动次数) an application implies, and a parameter's value overridden in
one case (``params:``) so both sides of a dated county switch are tested without invented dates.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from yijian.cli import main
from yijian.tools.casetest import collect
from yijian.tools.scaffold import new_bundle, new_matter

CASE = """
  - name: {name}
    context: {{today: 2026-03-02{channel}}}
{params}    answers:
      applicant: {{id_number: "{idn}"}}
      request: {{reason: 信息变更}}
    expect:
{expect}
"""


ADULT, SEVENTEEN = "110105199003072346", "110105200901010011"  # on 2026-03-02


def add_case(
    path: Path, name: str, expect: str, params: str = "", channel: str = "", idn: str = ADULT
) -> None:
    text = CASE.format(
        name=name,
        idn=idn,
        channel=f", channel: {channel}" if channel else "",
        params=f"    params: {params}\n" if params else "",
        expect="\n".join(f"      {line}" for line in expect.splitlines()),
    )
    with path.open("a", encoding="utf-8") as f:
        f.write(text)


def failures(root: Path, folder: str) -> dict[str, tuple[str, ...]]:
    _snap, runs, errors = collect(root, f"matters/{folder}")
    assert errors == [], errors
    return {r.case.name: r.problems for r in runs}


@pytest.fixture
def matter(tmp_path: Path) -> Path:
    new_matter(tmp_path, "card")
    return tmp_path / "matters" / "card" / "cases.yaml"


def test_visits_implied_by_a_case(matter: Path) -> None:
    add_case(matter, "online", "visits: 0")
    add_case(matter, "window", "visits: 1", channel="window")
    add_case(matter, "wrong", "visits: 2")
    got = failures(matter.parents[2], "card")
    assert got["online"] == () and got["window"] == ()
    assert got["wrong"] == ("visits: expected 2, got 0",)


def test_params_override_the_dated_value_in_one_case(matter: Path) -> None:
    """The scaffold's min_age is 18 from 2020 on: a 17-year-old fails R1 unless the case runs
    with the county's new value."""
    add_case(matter, "dated value", "failing: [R1]", idn=SEVENTEEN)
    add_case(matter, "new value", "failing: []", params="{min_age: 16}", idn=SEVENTEEN)
    add_case(
        matter, "new value, wrong expectation", "failing: [R1]", "{min_age: 16}", idn=SEVENTEEN
    )
    got = failures(matter.parents[2], "card")
    assert got["dated value"] == () and got["new value"] == ()
    assert got["new value, wrong expectation"] == (
        "failing: expected ['R1'], got [] (missing ['R1'], unexpected [])",
    )


def test_a_params_name_the_matter_lacks_is_a_check_error(
    matter: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    add_case(matter, "typo", "failing: []", params="{min_agee: 16}")
    assert main(["--root", str(matter.parents[2]), "check"]) == 1
    out = capsys.readouterr().out
    assert "unknown parameter 'min_agee'; did you mean 'min_age'? [E-CASE-PARAM]" in out


def test_bundle_cases_name_member_situations(tmp_path: Path) -> None:
    """docs/bundles.md: member situations are `<member>.<situation id>`; cases.yaml accepts
    them (it refused them with E-VALUE-FORMAT)."""
    new_bundle(tmp_path, "pair")
    cases = tmp_path / "matters" / "pair" / "cases.yaml"
    add_case(cases, "both", "situations: [pair-first.change, pair-second.change]")
    add_case(cases, "one only", "situations: [pair-first.change]")
    add_case(cases, "visits of the bundle", "visits: 0\nmatters: [pair-first, pair-second]")
    got = failures(tmp_path, "pair")
    assert got["both"] == () and got["visits of the bundle"] == ()
    assert got["one only"] == (
        "situations: expected ['pair-first.change'], got ['pair-first.change', "
        "'pair-second.change'] (missing [], unexpected ['pair-second.change'])",
    )


BUNDLE_RULES = """parameters:
  min_age:
    description: 本一件事的申请人最低年龄
    unit: 周岁
    values:
      - {from: 2020-01-01, value: 16}
eligibility:
  - id: R1
    name: 已阅读办理须知
    when: {"==": [{"var": "intro.read"}, true]}
    message: 请先阅读办理须知。
"""


def test_a_bundle_rule_of_the_same_id_adds_and_its_parameter_replaces(tmp_path: Path) -> None:
    """docs/bundles.md, "Whose rule wins": the bundle's R1 stands beside the members' R1 (it
    replaces neither), and the bundle's min_age is the one the members' rules read."""
    new_bundle(tmp_path, "pair")
    (tmp_path / "matters" / "pair" / "rules.yaml").write_text(BUNDLE_RULES, encoding="utf-8")
    cases = tmp_path / "matters" / "pair" / "cases.yaml"
    add_case(cases, "17, bundle age", "failing: [R1]", idn=SEVENTEEN)
    add_case(
        cases,
        "17, age 18 again",
        "failing: [R1, pair-first.R1, pair-second.R1]",
        params="{min_age: 18}",
        idn=SEVENTEEN,
    )
    got = failures(tmp_path, "pair")
    assert got["17, bundle age"] == () and got["17, age 18 again"] == ()
