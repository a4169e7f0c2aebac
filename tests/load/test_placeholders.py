"""E-PLACEHOLDER (issue 15, item 15): `yijian check` lists every value a county marked
illustrative and every placeholder word a citizen would read, as warnings; the example root has
none left."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from demo_root import MATTER, make_root
from yijian.cli import main
from yijian.registry.snapshot import Registry

REPO = Path(__file__).resolve().parents[2]

MARKED = (
    MATTER.replace("{legal: {days: 20}", "{legal: {days: 20, note: 示例值}").replace(
        "{id: income_proof, name: 收入证明}",
        "{id: income_proof, name: 收入证明, notes: 示例材料（待核）}",
    )
    + "illustrative: [time_limits.promised, materials.optional_photo, code]\n"
)


def _warnings(out: str) -> list[str]:
    return re.findall(r"^(matters/\S+): (.*)\[E-PLACEHOLDER\]$", out, re.M)


def test_each_placeholder_is_a_warning_at_its_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_root(tmp_path, matter_yaml=MARKED)
    assert main(["--root", str(root), "check"]) == 0  # warnings: the definitions still load
    found = _warnings(capsys.readouterr().out)
    lines = MARKED.splitlines()
    promised = 1 + next(i for i, x in enumerate(lines) if x.startswith("time_limits"))
    assert len(found) == 5, found
    assert any(w[0].startswith(f"matters/demo/matter.yaml:{promised}:") for w in found), found
    texts = " ".join(w[1] for w in found)
    assert "time_limits.promised is marked illustrative" in texts
    assert "materials.optional_photo is marked illustrative" in texts
    assert "code is marked illustrative" in texts
    assert "示例值" in texts and "示例材料（待核）" in texts


def test_an_unknown_element_is_still_listed(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    root = make_root(tmp_path, matter_yaml=MATTER + "illustrative: [fee.items]\n")
    assert main(["--root", str(root), "check"]) == 0
    found = _warnings(capsys.readouterr().out)
    assert len(found) == 1 and "illustrative[0]: fee.items is marked illustrative" in found[0][1]


def test_the_examples_have_no_placeholder_left(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--root", str(REPO), "check"]) == 0
    found = _warnings(capsys.readouterr().out)
    assert not found, "\n".join(f"{a}: {b}" for a, b in found)


def _placeholder_texts(reg: Registry) -> list[str]:
    return [d.message for d in reg.current.diagnostics if d.code == "E-PLACEHOLDER"]


def test_a_hot_reload_finds_placeholders_of_the_edited_file_only_as_they_are_now(
    tmp_path: Path,
) -> None:
    """Each file's warnings are remembered by its content: an edit that adds or removes a
    word is seen, an unchanged file keeps its warning without being walked again."""
    root = make_root(
        tmp_path, matter_yaml=MATTER.replace("name: 演示事项", "name: 演示事项（待核）")
    )
    folder = root / "matters" / "demo"
    reg = Registry(root, disk_cache=False)
    reg.load()
    assert any("待核" in m for m in _placeholder_texts(reg))
    form = folder / "form.yaml"
    form.write_text(form.read_text(encoding="utf-8").replace("title:", "title: TODO", 1), "utf-8")
    reg.load([form])
    texts = _placeholder_texts(reg)
    assert any("TODO" in m for m in texts) and any("待核" in m for m in texts)
    matter = folder / "matter.yaml"
    matter.write_text(MATTER, encoding="utf-8")
    reg.load([matter])
    texts = _placeholder_texts(reg)
    assert any("TODO" in m for m in texts) and not any("待核" in m for m in texts)


@pytest.mark.parametrize(
    ("text", "may"),
    [
        ("name: 公示期间\n", False),  # 示 without 例
        ("name: >\n  示\n  例\n", True),  # a folded block joins them
        ('name: "\\u793a\\u4f8b"\n', True),  # an escape writes them
        ("name: TBD\n", True),
        ("illustrative: [code]\n", True),
        ("name: 待遇标准\n", False),  # 待 without 核 or 定
        ("name: 公示条例\n", True),  # both characters, apart: walked (and nothing found)
    ],
)
def test_files_that_cannot_hold_a_placeholder_are_not_walked(text: str, may: bool) -> None:
    from yijian.load.placeholders import _may_warn

    assert _may_warn(text) is may
