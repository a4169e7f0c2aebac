"""A draft and a case keep their definition version across a restart (apply.drafts, cases)."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from test_journey import NOON, REPO

from yijian.apply import drafts
from yijian.apply.cases import pinned_matter
from yijian.apply.labels import META, field_labels
from yijian.apply.services import Services
from yijian.registry import Registry
from yijian.runtime.regions import RegionTable
from yijian.store import Store

BIRTH = "birth-medical-certificate"


def _root(tmp_path: Path) -> Path:
    root = tmp_path / "defs"
    shutil.copytree(REPO / "forms", root / "forms")
    # without the organisation: rules/org.yaml names matters this partial root does not hold
    ignore = shutil.ignore_patterns("__pycache__", "org.yaml")
    shutil.copytree(REPO / "rules", root / "rules", ignore=ignore)
    shutil.copytree(REPO / "matters" / BIRTH, root / "matters" / BIRTH)
    return root


def _boot(root: Path, db: Path) -> Services:
    """What the web app does at start-up: the store first, its archive handed to the registry."""
    store = Store.open(db, clock=NOON)
    registry = Registry(root, archive=store.versions, disk_cache=False)
    assert registry.load() is not None, registry.last_errors
    return Services(registry, store, RegionTable.load(), "442000", clock=NOON)


def test_a_draft_opens_on_its_version_after_a_restart_with_no_notice(tmp_path: Path) -> None:
    root, db = _root(tmp_path), tmp_path / "yijian.db"
    services = _boot(root, db)
    started = drafts.start(services, BIRTH, None)
    a = services.store.drafts.get(started.draft_id).version
    services.store.close()
    form = root / "matters" / BIRTH / "form.yaml"
    text = form.read_text(encoding="utf-8")
    form.write_text(text.replace("label: 新生儿姓名", "label: 新生儿的姓名"), encoding="utf-8")

    services = _boot(root, db)  # restarted on the changed definitions
    b = services.registry.current.matter(BIRTH).version
    assert b != a
    draft, m = drafts.open_for_form(services, started.draft_id, None, {started.draft_id})
    assert m.version == a and draft.version == a
    assert drafts.notice_of(draft) is None
    assert "新生儿姓名" in field_labels(m).values()
    assert services.store.drafts.get(started.draft_id).version == a  # not moved
    assert pinned_matter(services, BIRTH, a) is m  # a case on version A shows A too
    fresh = drafts.start(services, BIRTH, None)
    assert services.store.drafts.get(fresh.draft_id).version == b  # new drafts: B
    services.store.close()


def test_a_version_that_cannot_be_rebuilt_still_moves_the_draft_with_a_notice(
    tmp_path: Path,
) -> None:
    root, db = _root(tmp_path), tmp_path / "yijian.db"
    services = _boot(root, db)
    started = drafts.start(services, BIRTH, None)
    with services.store.db.write() as c:  # e.g. a draft older than the archive
        c.execute("DELETE FROM definition_versions")
    services.store.close()
    form = root / "matters" / BIRTH / "form.yaml"
    text = form.read_text(encoding="utf-8")
    form.write_text(text.replace("label: 新生儿姓名", "label: 新生儿的姓名"), encoding="utf-8")

    services = _boot(root, db)
    draft, m = drafts.open_for_form(services, started.draft_id, None, {started.draft_id})
    assert m.version == services.registry.current.matter(BIRTH).version
    notice = drafts.notice_of(draft)
    assert notice is not None and "“新生儿姓名”改为“新生儿的姓名”" in notice["changed"]
    services.store.close()


def _move_after_label_change(root: Path, db: Path, draft_id: str) -> tuple[Services, Any]:
    """The archive lost, a label changed, restarted: the draft must move (with its notice)."""
    store = Store.open(db, clock=NOON)
    with store.db.write() as c:
        c.execute("DELETE FROM definition_versions")
    store.close()
    form = root / "matters" / BIRTH / "form.yaml"
    text = form.read_text(encoding="utf-8")
    form.write_text(text.replace("label: 新生儿姓名", "label: 新生儿的姓名"), encoding="utf-8")
    services = _boot(root, db)
    draft, _ = drafts.open_for_form(services, draft_id, None, {draft_id})
    return services, draft


def test_a_draft_carries_no_labels_the_store_keeps_them_once_per_version(tmp_path: Path) -> None:
    # issue 14 item 3: a 200-field draft's labels were 7 of its 8.5 KB, written on every change
    root, db = _root(tmp_path), tmp_path / "yijian.db"
    services = _boot(root, db)
    started = drafts.start(services, BIRTH, None)
    stored = services.store.drafts.get(started.draft_id)
    assert "labels" not in (stored.answers.get(META) or {})
    kept = services.store.versions.labels(BIRTH, stored.version)
    assert kept == field_labels(started.matter) and "新生儿姓名" in kept.values()
    services.store.close()

    services, draft = _move_after_label_change(root, db, started.draft_id)
    notice = drafts.notice_of(draft)
    assert notice is not None and notice["changed"] == ["“新生儿姓名”改为“新生儿的姓名”"]
    assert notice["added"] == [] and notice["removed"] == []
    assert "labels" not in draft.answers[META]
    assert "新生儿的姓名" in services.store.versions.labels(BIRTH, draft.version).values()
    services.store.close()


def test_a_draft_started_with_its_labels_inline_still_moves_with_the_right_notice(
    tmp_path: Path,
) -> None:
    # drafts written before migration 16 hold their version's labels in _meta: read first
    root, db = _root(tmp_path), tmp_path / "yijian.db"
    services = _boot(root, db)
    started = drafts.start(services, BIRTH, None)
    answers = {**started.answers, META: {"labels": field_labels(started.matter)}}
    services.store.drafts.save(started.draft_id, answers, started.first_page)
    with services.store.db.write() as c:  # as before migration 16: no labels in the store
        c.execute("DELETE FROM version_labels")
    services.store.close()

    services, draft = _move_after_label_change(root, db, started.draft_id)
    notice = drafts.notice_of(draft)
    assert notice is not None and notice["changed"] == ["“新生儿姓名”改为“新生儿的姓名”"]
    assert notice["added"] == [] and notice["removed"] == []
    assert "labels" not in draft.answers[META]  # moved: the store keeps the new version's
    assert "新生儿的姓名" in services.store.versions.labels(BIRTH, draft.version).values()
    services.store.close()
