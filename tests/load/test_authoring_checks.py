"""What a newcomer tripped on while authoring a bundle (issue 12, items 2, 4, 5 and 6).

Each test starts from ``yijian new`` (a folder that checks) and makes the one change the
newcomer made.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from yijian.apply.guide import online_depth_label
from yijian.cli import main
from yijian.defs.common import OnlineDepth
from yijian.located.diagnostics import known_list
from yijian.registry.snapshot import Registry
from yijian.runtime.evaluate import Context, evaluate
from yijian.tools.scaffold import new_bundle, new_matter

DAY = Context(__import__("datetime").date(2026, 3, 2))


def check(capsys: pytest.CaptureFixture[str], root: Path) -> tuple[int, str]:
    status = main(["--root", str(root), "check"])
    out, err = capsys.readouterr()
    return status, out + err


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new), encoding="utf-8")


@pytest.fixture
def matter(tmp_path: Path) -> Path:
    new_matter(tmp_path, "card")
    return tmp_path / "matters" / "card"


# -- item 2: visible_if and required read derived values ---------------------------------------
DERIVED = """derived:
  - key: applicant.age
    label: 申请人年龄
    rule: {"id_card_age": [{"var": "applicant.id_number"}]}
  - key: applicant.needs_guardian
    rule: {"<": [{"var": "applicant.age"}, 18]}
  - key: request.is_change
    rule: {"==": [{"var": "request.reason"}, "信息变更"]}
"""


def test_visible_if_and_required_read_a_derived_value(
    matter: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    edit(matter / "rules.yaml", "derived:\n  - key: applicant.age\n    label: 申请人年龄\n"
         '    rule: {"id_card_age": [{"var": "applicant.id_number"}]}\n', DERIVED)  # fmt: skip
    edit(matter / "form.yaml",
         '        visible_if: {"==": [{"var": "request.reason"}, "信息变更"]}\n'
         '        required: {"==": [{"var": "request.reason"}, "信息变更"]}',
         '        visible_if: {"var": "request.is_change"}\n'
         '        required: {"var": "request.is_change"}')  # fmt: skip
    status, out = check(capsys, matter.parents[1])
    assert status == 0, out
    m = Registry(matter.parents[1], disk_cache=False).load().matter("card")
    out = evaluate(m, {"request": {"reason": "信息变更"}}, DAY)
    assert "request.details" in out.visible and "request.details" in out.required
    out = evaluate(m, {"request": {"reason": "首次申请"}}, DAY)
    assert "request.details" not in out.visible


def test_a_field_shown_by_a_value_computed_from_itself_is_refused(
    matter: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    edit(matter / "rules.yaml", "derived:\n  - key: applicant.age\n    label: 申请人年龄\n"
         '    rule: {"id_card_age": [{"var": "applicant.id_number"}]}\n', DERIVED)  # fmt: skip
    edit(matter / "form.yaml", "        key: applicant.id_number\n        required: true\n",
         "        key: applicant.id_number\n        required: true\n"
         '        visible_if: {"!": [{"var": "applicant.needs_guardian"}]}\n')  # fmt: skip
    status, out = check(capsys, matter.parents[1])
    assert status == 1
    assert (
        "matters/card/form.yaml:16:21: pages[0].fields[1].visible_if: visible_if of field "
        "'applicant.id_number' reads derived 'applicant.needs_guardian', which is computed from "
        "'applicant.id_number' itself" in out
    ), out
    assert "[E-FORM-CYCLE]" in out and out.count("[E-") == 1


# -- item 4: hints list the closest names first and say where the whole list is -----------------
def test_known_list_puts_the_closest_first_and_names_where_the_rest_is() -> None:
    names = [f"aaa.field{i}" for i in range(20)] + ["applicant.name", "applicant.phone"]
    text = known_list(names, 3, near="applicant.nmae", where="docs/rules.md#variables")
    assert text.startswith("applicant.name, applicant.phone, ")
    assert text.endswith("… (22 in all; every one: docs/rules.md#variables)")
    assert known_list(["b", "a"], 3) == "a, b"  # short lists stay whole and sorted


def test_an_unknown_library_field_hint_starts_with_the_close_ones(
    matter: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    edit(matter / "form.yaml", "      - use: person.phone\n", "      - use: person.phnoe\n")
    status, out = check(capsys, matter.parents[1])
    assert status == 1
    assert "unknown library field 'person.phnoe'; did you mean 'person.phone'?" in out
    hint = next(line for line in out.splitlines() if line.startswith("    hint: library fields"))
    assert hint.startswith("    hint: library fields: person.phone, person."), hint
    assert "every one: docs/reference/library.md" in hint


def test_an_unknown_variable_hint_starts_with_the_same_object(
    matter: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    edit(matter / "rules.yaml", '{">=": [{"var": "applicant.age"}, {"var": "params.min_age"}]}',
         '{">=": [{"var": "applicant.agee"}, {"var": "params.min_age"}]}')  # fmt: skip
    status, out = check(capsys, matter.parents[1])
    assert status == 1
    hint = next(line for line in out.splitlines() if line.startswith("    hint: known"))
    assert hint.startswith("    hint: known: applicant.age, applicant."), hint


# -- item 5: a cycle among members is one error -------------------------------------------------
def test_a_bundle_after_cycle_is_one_error(tmp_path: Path, capsys) -> None:
    new_bundle(tmp_path, "pair")
    bundle = tmp_path / "matters" / "pair" / "bundle.yaml"
    edit(bundle, "  - matter: pair-first\n    include: required\n",
         "  - matter: pair-first\n    include: required\n    after: [pair-second]\n")  # fmt: skip
    edit(bundle, "  - matter: pair-second\n    include: required\n",
         "  - matter: pair-second\n    include: required\n    after: [pair-first]\n")  # fmt: skip
    status, out = check(capsys, tmp_path)
    assert status == 1
    errors = [line for line in out.splitlines() if line.endswith("]")]
    assert errors == [
        "matters/pair/bundle.yaml:13:12: matters[0].after: member matters wait for each other "
        "in a cycle: pair-first → pair-second → pair-first [E-BUNDLE-CYCLE]"
    ], out


# -- item 6: a matter offered online never reads 线下办理 ----------------------------------------
def test_online_without_a_depth_warns_and_never_reads_offline(
    matter: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    edit(matter / "matter.yaml",
         "online_depth: [互联网咨询, 收件, 预审, 受理, 办理, 办理结果信息反馈]\n", "")  # fmt: skip
    status, out = check(capsys, matter.parents[1])
    assert status == 0, out
    assert (
        "matters/card/matter.yaml:23:15: handle_forms: 网上 is offered but online_depth is " in out
    )
    assert "[E-ONLINE-DEPTH]" in out and out.rstrip().endswith(", 1 warning")
    assert online_depth_label((), ("网上", "窗口")) == "网上申请"
    assert online_depth_label((), ("窗口",)) == "线下办理"
    full = (OnlineDepth.受理, OnlineDepth.办理, OnlineDepth.办理结果信息反馈)
    assert online_depth_label(full, ("网上",)) == "全程网办"


def test_a_bundle_form_reads_its_own_derived_values(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    new_bundle(tmp_path, "pair")
    bundle = tmp_path / "matters" / "pair"
    (bundle / "rules.yaml").write_text(
        'derived:\n  - key: intro.done\n    rule: {"==": [{"var": "intro.read"}, true]}\n',
        encoding="utf-8",
    )
    edit(bundle / "form.yaml", "        required: true\n",
         "        required: true\n      - key: intro.note\n        type: text\n"
         "        label: 备注\n        visible_if: {\"var\": \"intro.done\"}\n")  # fmt: skip
    status, out = check(capsys, tmp_path)
    assert status == 0, out
    m = Registry(tmp_path, disk_cache=False).load().matter("pair")
    assert "intro.note" in evaluate(m, {"intro": {"read": True}}, DAY).visible
    assert "intro.note" not in evaluate(m, {"intro": {"read": False}}, DAY).visible
    edit(bundle / "form.yaml", '{"var": "intro.done"}', '{"!": [{"var": "intro.done"}]}')
    hide = '        visible_if: {"!": [{"var": "intro.done"}]}\n'
    edit(bundle / "form.yaml", "        text: 本人已阅读", hide + "        text: 本人已阅读")
    status, out = check(capsys, tmp_path)
    assert status == 1 and "[E-FORM-CYCLE]" in out and "matters/pair/form.yaml" in out, out
