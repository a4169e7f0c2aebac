"""The ``yijian`` command as an admin runs it: check, narrowing, --root, and its exit codes."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from yijian.cli import main

REPO = Path(__file__).resolve().parents[1]
OK = re.compile(r"^ok: (\d+) matters, (\d+) bundles checked in \d+ ms \(version [0-9a-f]{16}\)")
BROKEN = REPO / "tests" / "fixtures" / "invalid" / "E-FIELD-TYPE" / "matters" / "demo"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def test_check_the_repository(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "--root", str(REPO), "check")
    assert status == 0, out
    found = OK.match(out.splitlines()[-1])
    assert found, out
    assert int(found[1]) >= 1


def test_check_a_copy_with_root(
    example_root: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(example_root.parent)  # --root works from anywhere
    status, out, _ = run(capsys, "--root", str(example_root), "check")
    assert status == 0, out
    assert OK.match(out.splitlines()[-1])


def test_root_defaults_to_the_current_directory(
    example_root: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(example_root)
    status, out, _ = run(capsys, "check")
    assert status == 0 and OK.match(out.splitlines()[-1])


def test_path_narrows_output_to_one_folder(
    example_root: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copytree(BROKEN, example_root / "matters" / "broken")
    monkeypatch.chdir(example_root)
    status, out, _ = run(capsys, "check")
    assert status == 1
    assert "matters/broken/form.yaml:6:15: pages[0].fields[0].type: unknown field type" in out

    status, out, _ = run(capsys, "check", "matters/birth-medical-certificate")
    assert status == 0, out
    assert OK.match(out.splitlines()[-1])
    assert out.startswith("ok: 1 matters")

    status, out, _ = run(capsys, "check", str(example_root / "matters" / "broken"))
    assert status == 1
    assert out.splitlines()[-1].startswith("1 error in 1 file;")
    assert "birth-medical-certificate" not in out


def test_path_outside_the_root_is_refused(
    example_root: Path, tmp_path_factory: pytest.TempPathFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    elsewhere = tmp_path_factory.mktemp("elsewhere")
    with pytest.raises(SystemExit) as exc:
        main(["--root", str(example_root), "check", str(elsewhere)])
    assert exc.value.code == 2
    assert "is not inside the definitions root" in capsys.readouterr().err


def test_missing_path_is_refused(example_root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["--root", str(example_root), "check", str(example_root / "matters" / "nope")])
    assert exc.value.code == 2
    assert "does not exist" in capsys.readouterr().err


def test_root_without_matters_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["--root", str(tmp_path), "check"])
    assert exc.value.code == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert "has no matters/ folder" in err and "Traceback" not in err


def test_test_command_runs_the_cases(
    example_root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, _ = run(capsys, "--root", str(example_root), "test")
    assert status == 0, out
    assert re.search(r"\d+ passed, 0 failed", out)


def test_docs_command_writes_the_reference(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, _, _ = run(capsys, "docs", "--out", str(tmp_path))
    assert status == 0
    assert {p.name for p in tmp_path.iterdir()} == {
        "yaml.md",
        "fields.md",
        "functions.md",
        "errors.md",
        "library.md",
    }


def test_relative_path_is_read_inside_the_root(
    example_root, capsys, monkeypatch, tmp_path_factory
) -> None:
    from yijian.cli import main

    monkeypatch.chdir(tmp_path_factory.mktemp("elsewhere"))
    assert main(["--root", str(example_root), "check", "matters/birth-medical-certificate"]) == 0
    assert capsys.readouterr().out.startswith("ok: 1 matters")


def test_root_may_follow_the_command(example_root, capsys) -> None:
    from yijian.cli import main

    assert main(["check", "--root", str(example_root)]) == 0
    assert main(["--root", str(example_root), "check"]) == 0
    assert capsys.readouterr().out.count("ok: ") == 2
