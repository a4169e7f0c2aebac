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
