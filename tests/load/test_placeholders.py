"""E-PLACEHOLDER (issue 15, item 15): `yijian check` lists every value a county marked
illustrative and every placeholder word a citizen would read, as warnings; the example root has
none left."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from demo_root import MATTER, make_root
from yijian.cli import main

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
