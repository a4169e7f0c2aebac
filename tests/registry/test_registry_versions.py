"""Versions outlive the process: archived in a real SQLite store, rebuilt after a restart."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from yijian.apply.labels import field_labels
from yijian.registry.archive import files_of, rebuild, shared_files
from yijian.registry.snapshot import REBUILT_KEPT, Registry
from yijian.store import Store

REPO = Path(__file__).resolve().parents[2]
BIRTH = "birth-medical-certificate"
OLD, NEW = "label: 新生儿姓名", "label: 新生儿的姓名"


@pytest.fixture
def root(tmp_path: Path) -> Path:
    root = tmp_path / "defs"
    shutil.copytree(REPO / "forms", root / "forms")
    # without the organisation: rules/org.yaml names matters this partial root does not hold
    shutil.copytree(
        REPO / "rules", root / "rules", ignore=shutil.ignore_patterns("__pycache__", "org.yaml")
    )
    shutil.copytree(REPO / "matters" / BIRTH, root / "matters" / BIRTH)
    return root


def _start(root: Path, db: Path) -> tuple[Registry, Store]:
    store = Store.open(db)
    registry = Registry(root, archive=store.versions, disk_cache=False)
    assert registry.load() is not None, registry.last_errors
    return registry, store


def _edit(root: Path) -> None:
    form = root / "matters" / BIRTH / "form.yaml"
    text = form.read_text(encoding="utf-8")
    assert OLD in text
    form.write_text(text.replace(OLD, NEW), encoding="utf-8")


def test_a_restart_rebuilds_the_version_a_draft_is_pinned_to(root: Path, tmp_path: Path) -> None:
    db = tmp_path / "yijian.db"
    registry, store = _start(root, db)
    a = registry.current.matter(BIRTH).version
    draft = store.drafts.create(BIRTH, a, None)
    assert store.versions.has(BIRTH, a)
    store.close()
    _edit(root)

    registry, store = _start(root, db)  # a new process over the same database
    b = registry.current.matter(BIRTH).version
    assert b != a
    assert registry._versions.get((BIRTH, a)) is None  # not in memory: it must be rebuilt
    old = registry.version(BIRTH, store.drafts.get(draft.id).version)
    assert old is not None and old.version == a
    assert "新生儿姓名" in field_labels(old).values()
    assert "新生儿的姓名" in field_labels(registry.version(BIRTH, b)).values()
    assert registry.version(BIRTH, a) is old  # kept once rebuilt
    assert store.versions.known() == {(BIRTH, a), (BIRTH, b)}
    store.close()


def test_a_parameter_change_gives_a_new_version_and_the_old_one_still_rebuilds(
    root: Path, tmp_path: Path
) -> None:
    db = tmp_path / "yijian.db"
    registry, store = _start(root, db)
    a = registry.current.matter(BIRTH).version
    manifest = store.versions.files(BIRTH, a)
    assert manifest is not None
    # what the version is built from: its folder, the field library and rules/
    assert any(p.startswith(f"matters/{BIRTH}/") for p in manifest)
    assert any(p.startswith("forms/") for p in manifest)
    assert any(p.startswith("rules/calendar/") for p in manifest)
    store.close()
    params = sorted((root / "rules" / "params").glob("*.yaml"))
    assert params, "the example rules/ has parameters"
    params[0].write_text(params[0].read_text(encoding="utf-8") + "\n# edited\n", "utf-8")
    registry, store = _start(root, db)
    assert registry.current.matter(BIRTH).version != a
    old = registry.version(BIRTH, a)
    assert old is not None and old.version == a
    store.close()


def test_a_version_never_archived_is_none(root: Path, tmp_path: Path) -> None:
    registry, store = _start(root, tmp_path / "yijian.db")
    assert registry.version(BIRTH, "0000000000000000") is None
    store.close()


def test_rebuilt_versions_are_bounded(root: Path, tmp_path: Path) -> None:
    registry, store = _start(root, tmp_path / "yijian.db")
    m = registry.current.matter(BIRTH)
    registry._versions.clear()  # as after a restart
    for i in range(REBUILT_KEPT):
        registry._rebuilt[(BIRTH, f"v{i}")] = m
    assert registry.version(BIRTH, "v0") is m  # asked: now the most recent
    rebuilt = registry.version(BIRTH, m.version)  # from the archive: one too many kept
    assert rebuilt is not None and rebuilt is not m and rebuilt.version == m.version
    assert len(registry._rebuilt) == REBUILT_KEPT
    assert (BIRTH, "v1") not in registry._rebuilt and (BIRTH, "v0") in registry._rebuilt
    store.versions.archive(BIRTH, "x", {})  # an empty manifest rebuilds nothing
    assert registry.version(BIRTH, "x") is None
    store.close()


@pytest.mark.parametrize("matter_id", [BIRTH, "newborn-bundle"])
def test_example_versions_rebuild_as_themselves_from_the_whole_root(matter_id: str) -> None:
    """The real root (with rules/org.yaml naming matters the rebuilt root lacks)."""
    registry = Registry(REPO, disk_cache=False)
    assert registry.load() is not None, registry.last_errors
    m = registry.current.matter(matter_id)
    built = rebuild(files_of(REPO, m, shared_files(REPO)), m.id, m.version, None)
    assert built is not None and built.version == m.version
    assert [x.id for x in getattr(built, "members", ())] == [
        x.id for x in getattr(m, "members", ())
    ]
