"""The tutorial's matter is real: its YAML checks and its cases pass, as the page says.

Each ```yaml block of docs/tutorial.md whose first line is ``# matters/<id>/<file>.yaml`` is
written into a copy of the example root; `yijian check` and `yijian test` must then succeed,
and the typos the page shows must print the lines the page quotes.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from yijian.cli import main

TUTORIAL = Path(__file__).resolve().parents[1] / "docs" / "tutorial.md"
BLOCK = re.compile(r"```yaml\n# (matters/[a-z0-9-]+/[a-z]+\.yaml)\n(.*?)```", re.S)


@pytest.fixture
def tutorial_root(example_root: Path) -> Path:
    blocks = BLOCK.findall(TUTORIAL.read_text(encoding="utf-8"))
    assert len(blocks) == 5
    for rel, text in blocks:
        path = example_root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return example_root


def quoted_output(after: str) -> list[str]:
    """The first line of each diagnostic in the ``` block following ``after`` in the page."""
    page = TUTORIAL.read_text(encoding="utf-8")
    block = page.split(after, 1)[1].split("```\n", 2)[1]
    return [line for line in block.splitlines() if "[E-" in line]


def test_tutorial_matter_checks_and_passes_its_cases(
    tutorial_root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--root", str(tutorial_root), "check"]) == 0, capsys.readouterr().out
    folder = str(tutorial_root / "matters" / "elderly-allowance")
    assert main(["--root", str(tutorial_root), "test", folder]) == 0, capsys.readouterr().out
    assert "3 passed, 0 failed" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("file", "old", "new", "after"),
    [
        ("form.yaml", "type: boolean", "type: bolean", "Say you typed `bolean`"),
        (
            "rules.yaml",
            '[{"var": "applicant.age"}, {"var": "params',
            '[{"var": "applicant.aeg"}, {"var": "params',
            "A misspelt variable",
        ),
    ],
)
def test_tutorial_error_output_is_real(
    tutorial_root: Path,
    capsys: pytest.CaptureFixture[str],
    file: str,
    old: str,
    new: str,
    after: str,
) -> None:
    path = tutorial_root / "matters" / "elderly-allowance" / file
    path.write_text(path.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")
    assert main(["--root", str(tutorial_root), "check"]) == 1
    printed = capsys.readouterr().out.splitlines()
    expected = quoted_output(after)
    assert expected
    assert all(line in printed for line in expected), printed
