"""Hostile definitions: every shape of YAML bomb is refused with a located, coded error, in
bounded time and memory, whatever file of a matter it sits in — and a server keeps running.

Limits are generous (seconds, megabytes): the point is that nothing grows with the attack.
Before these checks, 1,000 ``[`` made `yijian check` die of a ``RecursionError``, 50,000 made
libyaml's composer crash the process (SIGSEGV), and a 250,000-item list took 26 s to refuse.
"""

from __future__ import annotations

import codecs
import shutil
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

import pytest

from yijian.cli import main
from yijian.defs import FOLDER_FILES
from yijian.load.source import FileCache
from yijian.located.yamlsrc import MAX_DEPTH, MAX_NODES, parse
from yijian.registry.snapshot import Registry

REPO = Path(__file__).resolve().parents[2]
FIXTURES = REPO / "tests" / "fixtures" / "invalid"
N = 250_000  # a file of about 500 KiB: just under the size limit
AT = "name: "

SHAPES: dict[str, tuple[str, str]] = {
    "deep flow sequence": (AT + "[" * N + "]" * N, "E-YAML-DEPTH"),
    "deep flow mapping": (AT + "{a: " * (N // 4) + "1" + "}" * (N // 4), "E-YAML-DEPTH"),
    "deep block sequence": ("name:\n" + "- " * N + "1\n", "E-YAML-DEPTH"),
    "deep block mapping": (
        "".join(" " * i + "a:\n" for i in range(700)) + " " * 700 + "1\n",
        "E-YAML-DEPTH",
    ),
    "unclosed brackets": (AT + "[" * N, "E-YAML-DEPTH"),
    "deep through aliases": (
        "a: &a " + "[" * 40 + "1" + "]" * 40 + "\nb: " + "[" * 40 + "*a" + "]" * 40 + "\n",
        "E-YAML-DEPTH",
    ),
    "wide sequence": (AT + "[" + "1," * (N - 10) + "1]", "E-YAML-SIZE"),
    "wide mapping": ("".join(f"k{i}: {i}\n" for i in range(40_000)), "E-YAML-SIZE"),
    "alias bomb": (
        "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
        + "".join(
            f"{c}: &{c} [{', '.join(['*' + p] * 10)}]\n"
            for p, c in zip("abcdefgh", "bcdefghi", strict=True)
        ),
        "E-YAML-ALIAS",
    ),
    "recursive alias": ("a: &a [1, *a]\n", "E-YAML-ALIAS"),
    "too large": ("# " + "x" * 600_000 + "\nname: a\n", "E-YAML-SIZE"),
    "local tag": ("name: !ruby/object 1\n", "E-YAML-TAG"),
    "python tag": ("name: !!python/object/apply:os.system [ls]\n", "E-YAML-TAG"),
    "binary tag": ("name: !!binary aGVsbG8=\n", "E-YAML-TAG"),
    "set tag": ("name: !!set {a, b}\n", "E-YAML-TAG"),
    "control character": ("name: a\x00b\n", "E-YAML-ENCODING"),
}


def _bounded(fn: Callable[[], object]) -> tuple[object, float, int]:
    tracemalloc.start()
    started = time.perf_counter()
    try:
        result = fn()
        return result, time.perf_counter() - started, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


@pytest.mark.parametrize("shape", SHAPES, ids=str)
def test_each_shape_is_refused_with_its_code_in_bounded_time_and_memory(shape: str) -> None:
    text, code = SHAPES[shape]
    (_data, problems), seconds, peak = _bounded(lambda: parse(text))
    assert [p.code for p in problems][:1] == [code]
    assert seconds < 2.0, f"{shape}: {seconds:.2f} s"
    assert peak < 40 * 2**20, f"{shape}: {peak / 2**20:.0f} MiB"


def test_depth_is_located_where_it_passes_the_limit() -> None:
    """The file's mapping is the first level: the 64th ``[`` is the 65th level."""
    _, problems = parse("code: x\nname: " + "[" * MAX_DEPTH + "]" * MAX_DEPTH)
    assert [(p.line, p.col, p.code) for p in problems] == [(2, 6 + MAX_DEPTH, "E-YAML-DEPTH")]
    block = "".join(" " * i + "a:\n" for i in range(MAX_DEPTH + 5)) + " " * 99 + "1\n"
    assert [(p.line, p.code) for p in parse(block)[1]] == [(MAX_DEPTH + 1, "E-YAML-DEPTH")]


def test_what_real_definitions_need_passes() -> None:
    nested = AT + "[" * (MAX_DEPTH - 1) + "]" * (MAX_DEPTH - 1)
    assert parse(nested)[1] == []
    assert parse(AT + "[" + "1," * (MAX_NODES - 10) + "1]")[1] == []
    assert parse("name: !!str 0101\nn: !!int 3\nd: 2026-01-01\n")[1] == []
    for path in [*(REPO / "matters").glob("*/*.yaml"), *(REPO / "rules").rglob("*.yaml")]:
        assert parse(path.read_text(encoding="utf-8"))[1] == [], path


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (codecs.BOM_UTF16_LE + "name: 光荣证\n".encode("utf-16-le"), "UTF-16 text, not UTF-8"),
        (codecs.BOM_UTF16_BE + "name: 光荣证\n".encode("utf-16-be"), "UTF-16 text, not UTF-8"),
        (codecs.BOM_UTF32_LE + "name: a\n".encode("utf-32-le"), "UTF-32 text, not UTF-8"),
        ("name: 光荣证\n".encode("gb18030"), "not UTF-8 text (invalid start byte at byte 6)"),
        (b"\x7fELF\x02\x01\x01\x00" + bytes(range(256)), "binary data, not UTF-8 text"),
        (b"name: a\x00b\n", "control character #x0000 in the text"),
    ],
    ids=["utf-16-le", "utf-16-be", "utf-32", "gb18030", "binary", "nul"],
)
def test_odd_encodings_and_binary_are_located_errors(
    tmp_path: Path, raw: bytes, message: str
) -> None:
    path = tmp_path / "matter.yaml"
    path.write_bytes(raw)
    got = FileCache().read(tmp_path, path, FOLDER_FILES["matter.yaml"])
    assert got.model is None
    assert [(d.code, d.message) for d in got.diagnostics] == [("E-YAML-ENCODING", message)]


def test_utf8_with_bom_is_read() -> None:
    data, problems = parse("\ufeffname: 光荣证\n")
    assert data == {"name": "光荣证"} and problems == []


def _root(tmp_path: Path) -> Path:
    root = tmp_path / "root"
    shutil.copytree(FIXTURES / "E-YAML-DEPTH", root, ignore=shutil.ignore_patterns("*.txt"))
    form = root / "matters" / "demo" / "form.yaml"
    form.write_text("\n".join(form.read_text(encoding="utf-8").splitlines()[:8]) + "\n")
    return root


@pytest.mark.parametrize("name", ["matter.yaml", "form.yaml", "routing.yaml"])
def test_check_reports_a_deep_file_instead_of_dying(
    tmp_path: Path, name: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """The issue's reproduction: 1,000 levels under a key that is validated (its value was
    rendered with ``repr``), in any file of a matter."""
    root = _root(tmp_path)
    assert main(["--root", str(root), "check"]) == 0, capsys.readouterr().out
    capsys.readouterr()
    path = root / "matters" / "demo" / name
    key = {"matter.yaml": "name", "form.yaml": "title", "routing.yaml": "extra"}[name]
    path.write_text(path.read_text(encoding="utf-8") + f"{key}: " + "[" * 1000 + "]" * 1000)
    assert main(["--root", str(root), "check"]) == 1
    out = capsys.readouterr().out
    assert f"matters/demo/{name}:" in out and "[E-YAML-DEPTH]" in out
    assert "Traceback" not in out


def test_running_server_keeps_the_last_good_version_and_states_the_error(
    tmp_path: Path,
) -> None:
    root = _root(tmp_path)
    registry = Registry(root, disk_cache=False)
    good = registry.load()
    assert good is not None
    form = root / "matters" / "demo" / "form.yaml"
    form.write_text(form.read_text(encoding="utf-8") + "x: " + "[" * 5000 + "]" * 5000)
    assert registry.load([form]) is None
    assert registry.current is good
    assert [d.code for d in registry.last_errors] == ["E-YAML-DEPTH"]
    # a server started afresh with the file on disk comes up and names the error
    restarted = Registry(root, disk_cache=False)
    assert restarted.load() is None
    assert [d.code for d in restarted.last_errors] == ["E-YAML-DEPTH"]


def test_a_deep_calendar_file_is_a_calendar_error_not_a_crash(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The calendar has its own reader (plain libyaml): 50,000 ``[`` crashed the process."""
    root = _root(tmp_path)
    folder = root / "rules" / "calendar"
    folder.mkdir(parents=True)
    (folder / "cn-2026.yaml").write_text("year: 2026\nholidays: " + "[" * 50_000 + "]" * 50_000)
    assert main(["--root", str(root), "check"]) == 1
    out = capsys.readouterr().out
    assert "rules/calendar/cn-2026.yaml" in out and "deeper than 64 levels" in out
    assert "[E-CALENDAR]" in out
