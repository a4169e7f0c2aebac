"""Bundle check errors through the loader, on small roots written in tmp_path."""

from __future__ import annotations

import shutil
from pathlib import Path

from yijian.registry.snapshot import Registry

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "invalid"


def check(root: Path) -> list[str]:
    reg = Registry(root)
    reg.load()
    return [d.format() for d in reg.last_errors]


def copy(code: str, tmp_path: Path) -> Path:
    root = tmp_path / code
    shutil.copytree(FIXTURES / code, root)
    return root


def test_key_conflict_names_both_places(tmp_path: Path) -> None:
    (line,) = check(copy("E-BUNDLE-KEY-CONFLICT", tmp_path))
    assert "matters/alpha/form.yaml" in line and "matters/beta/form.yaml" in line
    assert "[E-BUNDLE-KEY-CONFLICT]" in line


def test_prefer_resolves_the_key_conflict(tmp_path: Path) -> None:
    root = copy("E-BUNDLE-KEY-CONFLICT", tmp_path)
    bundle = root / "matters" / "pack" / "bundle.yaml"
    bundle.write_text(
        bundle.read_text(encoding="utf-8") + "prefer: {applicant.age: beta}\n", encoding="utf-8"
    )
    assert check(root) == []


def test_unknown_member_has_did_you_mean(tmp_path: Path) -> None:
    root = copy("E-BUNDLE-MEMBER", tmp_path)
    bundle = root / "matters" / "pack" / "bundle.yaml"
    bundle.write_text(
        bundle.read_text(encoding="utf-8")
        .replace("matter: alpha", "matter: alpah")
        .replace("after: [gamma]", "after: []"),
        encoding="utf-8",
    )
    (line,) = check(root)
    assert "unknown matter 'alpah'; did you mean 'alpha'?" in line and "[E-REF-MATTER]" in line


def test_unknown_variable_in_a_bundle_rule_is_located(tmp_path: Path) -> None:
    root = copy("E-BUNDLE-MEMBER", tmp_path)
    pack = root / "matters" / "pack"
    bundle = pack / "bundle.yaml"
    bundle.write_text(
        bundle.read_text(encoding="utf-8").replace("after: [gamma]", "after: []"), encoding="utf-8"
    )
    (pack / "rules.yaml").write_text(
        "eligibility:\n  - id: B1\n    name: 年满\n"
        '    when: {">=": [{"var": "applicant.aeg"}, 18]}\n'
        "    message: 未满 18 周岁\n",
        encoding="utf-8",
    )
    (line,) = check(root)
    assert line.startswith("matters/pack/rules.yaml:4:")
    assert "unknown variable 'applicant.aeg'; did you mean 'applicant.age'?" in line


def _gated(tmp_path: Path, rule: str) -> Path:
    """The key-conflict root made clean, alpha's decision recording a grade, beta gated on it."""
    root = copy("E-BUNDLE-KEY-CONFLICT", tmp_path)
    routing = root / "matters" / "alpha" / "routing.yaml"
    routing.write_text(
        routing.read_text(encoding="utf-8")
        + "    fields:\n      - {key: grade, label: 评定等级, type: select,"
        " options: [{value: 一级, label: 一级}, {value: 三级, label: 三级}]}\n",
        encoding="utf-8",
    )
    bundle = root / "matters" / "pack" / "bundle.yaml"
    bundle.write_text(
        bundle.read_text(encoding="utf-8").replace(
            "  - matter: beta\n",
            "  - matter: beta\n    after: [alpha]\n"
            f"    requires_facts: {rule}\n    requires_message: 评定等级不符合\n",
        )
        + "prefer: {applicant.age: beta}\n",
        encoding="utf-8",
    )
    return root


def test_a_member_may_require_facts_of_the_members_it_waits_for(tmp_path: Path) -> None:
    ok = _gated(tmp_path / "ok", '{"==": [{"var": "facts.grade"}, "一级"]}')
    assert check(ok) == []
    reg = Registry(ok)
    info = reg.load().matter("pack").extra["members"]["beta"]
    assert info["gate"].truthy({"facts": {"grade": "一级"}}) and info["gate_message"]
    bad = _gated(tmp_path / "bad", '{"==": [{"var": "facts.grdae"}, "一级"]}')
    (line,) = check(bad)
    assert "bundle.yaml" in line and "facts.grdae" in line and "[E-RULE-VAR]" in line
