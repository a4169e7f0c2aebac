"""The registry under edits: new snapshots for good changes, the last good one kept for bad ones.

Each test works on a temporary root with the example matter, a second small matter that uses
no library field, and the repository's forms/ and rules/.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from yijian.load import diskcache, pool, source
from yijian.registry.snapshot import Registry

REPO = Path(__file__).resolve().parents[1]
BIRTH = "birth-medical-certificate"
#: a partial copy of the example root: without its organisation (rules/org.yaml names
#: centres and departments of matters this root does not hold)
PARTIAL = shutil.ignore_patterns("__pycache__", "org.yaml")

PLAIN_FORM = """\
pages:
  - id: main
    title: 申请
    fields:
      - {key: x.n, type: number, label: 数量, required: true}
"""
PLAIN_RULES = """\
derived:
  - key: twice
    rule: {"double": [{"var": "x.n"}]}
"""
RULE_MODULE = """\
from yijian import rule_function


@rule_function("double")
def double(n: float) -> float:
    return n * FACTOR


FACTOR = 2
"""


@pytest.fixture
def root(tmp_path: Path) -> Path:
    for name in ("forms", "rules"):
        shutil.copytree(REPO / name, tmp_path / name, ignore=PARTIAL)
    shutil.copytree(REPO / "matters" / BIRTH, tmp_path / "matters" / BIRTH)
    plain = tmp_path / "matters" / "plain"
    plain.mkdir()
    for name in ("matter.yaml", "routing.yaml"):
        shutil.copy(REPO / "matters" / BIRTH / name, plain / name)
    (plain / "form.yaml").write_text(PLAIN_FORM, encoding="utf-8")
    matter = plain / "matter.yaml"  # its result shows the birth form's fields, not this form's
    lines = matter.read_text(encoding="utf-8").splitlines(keepends=True)
    matter.write_text("".join(x for x in lines if not x.startswith("  fields: [")), "utf-8")
    return tmp_path


def _loaded(root: Path) -> Registry:
    reg = Registry(root, disk_cache=False)
    assert reg.load() is not None, [d.format() for d in reg.last_errors]
    return reg


def _edit(path: Path, old: str, new: str) -> Path:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")
    return path


def test_label_edit_makes_a_new_version_and_leaves_other_matters_alone(root: Path) -> None:
    reg = _loaded(root)
    before = reg.current
    form = _edit(root / "matters" / BIRTH / "form.yaml", "label: 新生儿姓名", "label: 宝宝姓名")
    after = reg.load([form])
    assert after is not None and after.version != before.version
    assert after.matter(BIRTH).fields["child.name"].label == "宝宝姓名"
    assert after.matter(BIRTH).version != before.matter(BIRTH).version
    assert after.matter("plain") is before.matter("plain")  # not recompiled


@pytest.mark.parametrize(
    ("old", "new", "code"),
    [
        ("label: 新生儿姓名", "label: [新生儿姓名", "E-YAML-SYNTAX"),
        ('{"var": "child.name"}', '{"var": "child.nmae"}', "E-RULE-VAR"),
    ],
)
def test_a_broken_edit_keeps_the_last_good_snapshot(
    root: Path, old: str, new: str, code: str
) -> None:
    reg = _loaded(root)
    good = reg.current
    form = root / "matters" / BIRTH / "form.yaml"
    original = form.read_text(encoding="utf-8")
    assert reg.load([_edit(form, old, new)]) is None
    assert reg.current is good
    assert [d.code for d in reg.last_errors] == [code]
    error = reg.last_errors[0]
    assert error.path == f"matters/{BIRTH}/form.yaml" and error.line > 0
    assert error.format().startswith(f"matters/{BIRTH}/form.yaml:{error.line}:")
    form.write_text(original, encoding="utf-8")
    fixed = reg.load([form])
    assert fixed is not None and reg.current is fixed and reg.last_errors == ()


def test_the_old_version_stays_reachable(root: Path) -> None:
    reg = _loaded(root)
    old = reg.current.matter(BIRTH)
    reg.load([_edit(root / "matters" / BIRTH / "form.yaml", "label: 出生地点", "label: 出生地")])
    assert reg.current.matter(BIRTH).version != old.version
    assert reg.version(BIRTH, old.version) is old
    assert reg.version(BIRTH, reg.current.matter(BIRTH).version) is reg.current.matter(BIRTH)


def test_a_library_change_recompiles_only_its_users(root: Path) -> None:
    reg = _loaded(root)
    before = reg.current
    lib = _edit(root / "forms" / "person.yaml", "label: 手机号码", "label: 移动电话号码")
    after = reg.load([lib])
    assert after is not None
    assert after.matter(BIRTH) is not before.matter(BIRTH)
    assert after.matter("plain") is before.matter("plain")


def test_matter_folders_come_and_go(root: Path) -> None:
    reg = _loaded(root)
    new = root / "matters" / "plain-two"
    shutil.copytree(root / "matters" / "plain", new)
    snap = reg.load([new / "matter.yaml"])
    assert snap is not None and set(snap.matters) == {BIRTH, "plain", "plain-two"}
    shutil.rmtree(new)
    snap = reg.load([new / "matter.yaml", new])
    assert snap is not None and set(snap.matters) == {BIRTH, "plain"}


def test_a_rule_function_change_recompiles(root: Path) -> None:
    (root / "rules" / "demo.py").write_text(RULE_MODULE, encoding="utf-8")
    (root / "matters" / "plain" / "rules.yaml").write_text(PLAIN_RULES, encoding="utf-8")
    reg = _loaded(root)
    before = reg.current.matter("plain")
    assert dict(before.derived)["twice"].evaluate({"x": {"n": 4}}) == 8
    module = _edit(root / "rules" / "demo.py", "FACTOR = 2", "FACTOR = 3")
    snap = reg.load([module])
    assert snap is not None and snap.matter("plain") is not before
    assert dict(snap.matter("plain").derived)["twice"].evaluate({"x": {"n": 4}}) == 12


def test_the_disk_cache_serves_a_cold_load(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(diskcache, "MIN_ENTRIES", 0)
    first = Registry(root)
    assert first.load() is not None
    first.cache.disk.wait()
    assert list((root / "var" / "cache").glob("defs-*.pickle"))

    def no_parsing(*args: object) -> None:
        raise AssertionError("a cached file was parsed again")

    monkeypatch.setattr(source, "_parse_and_validate", no_parsing)
    second = Registry(root)
    assert second.load() is not None and second.current.version == first.current.version


def test_a_torn_disk_cache_is_ignored(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(diskcache, "MIN_ENTRIES", 0)
    first = Registry(root)
    first.load()
    first.cache.disk.wait()
    path = first.cache.disk.path
    path.write_bytes(path.read_bytes()[:-100])
    second = Registry(root)
    assert second.load() is not None and second.current.version == first.current.version


def test_parsing_in_worker_processes_gives_the_same_snapshot(
    root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    serial = _loaded(root)
    monkeypatch.setattr(pool, "MIN_FILES", 1)
    monkeypatch.setattr(pool, "workers", lambda: 2)
    monkeypatch.setattr(pool, "_busy", lambda n: False)
    used: list[int] = []
    monkeypatch.setattr(pool, "ProcessPoolExecutor", _counting(pool.ProcessPoolExecutor, used))
    parallel = _loaded(root)
    assert used, "no worker process was started"
    assert parallel.current.version == serial.current.version


def _counting(cls: type, used: list[int]) -> type:
    class Counting(cls):  # type: ignore[misc, valid-type]
        def __init__(self, *args: object, **kwargs: object) -> None:
            used.append(1)
            super().__init__(*args, **kwargs)

    return Counting


def test_a_rule_module_or_library_change_gives_a_new_version(example_root) -> None:
    from yijian.registry.snapshot import Registry

    reg = Registry(example_root)
    first = reg.load()
    assert first is not None
    before = first.matters["birth-medical-certificate"].version
    module = example_root / "rules" / "county.py"
    module.write_text(
        "from yijian import rule_function\n\n"
        "@rule_function('twice')\ndef twice(x):\n    return x\n",
        encoding="utf-8",
    )
    second = reg.load([module])
    assert second is not None
    after_rules = second.matters["birth-medical-certificate"].version
    assert after_rules != before
    assert (
        reg.version("birth-medical-certificate", before)
        is first.matters["birth-medical-certificate"]
    )
    lib = example_root / "forms" / "person.yaml"
    lib.write_text(
        lib.read_text(encoding="utf-8").replace("label: 姓名", "label: 姓名（全名）"), "utf-8"
    )
    third = reg.load([lib])
    assert third is not None
    assert third.matters["birth-medical-certificate"].version != after_rules
