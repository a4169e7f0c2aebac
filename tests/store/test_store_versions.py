"""The version archive (migration 4): content-addressed, idempotent, read back whole."""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from yijian.store import Store


def test_archive_keeps_files_once_and_reads_them_back(open_store: Callable[..., Store]) -> None:
    store = open_store()
    shared = {"forms/person.yaml": b"fields: {}\n", "rules/calendar/cn-2026.yaml": b"year: 2026\n"}
    a = {**shared, "matters/a/matter.yaml": "name: 甲\n".encode()}
    b = {**shared, "matters/a/matter.yaml": "name: 乙\n".encode()}
    assert store.versions.archive_many([("a", "v1", a), ("a", "v2", b)]) == 2
    assert store.versions.archive("a", "v1", a) is False  # already kept
    assert store.versions.files("a", "v1") == a and store.versions.files("a", "v2") == b
    assert store.versions.files("a", "v3") is None
    blobs = store.db.conn().execute("SELECT COUNT(*) FROM definition_blobs").fetchone()[0]
    assert blobs == 4  # the shared files once, each matter.yaml once
    store.close()
    again = open_store()
    assert again.versions.known() == {("a", "v1"), ("a", "v2")}
    again.close()


def test_manifest_names_each_file_by_its_hash_and_blobs_read_them(
    open_store: Callable[..., Store],
) -> None:
    store = open_store()
    files = {"matters/a/matter.yaml": b"name: a\n", "forms/person.yaml": b"fields: {}\n"}
    assert store.versions.manifest("a", "v1") is None
    assert store.versions.has("a", "v1") is False
    store.versions.archive("a", "v1", files)
    manifest = store.versions.manifest("a", "v1")
    assert manifest == {rel: hashlib.sha256(data).hexdigest() for rel, data in files.items()}
    assert store.versions.has("a", "v1") is True
    assert store.versions.blobs([*manifest.values(), "0" * 64]) == {
        manifest[rel]: data for rel, data in files.items()
    }
    assert store.versions.blobs([]) == {}
    store.close()


def test_labels_are_kept_once_per_version_and_read_back(open_store: Callable[..., Store]) -> None:
    # migration 16: the field labels a draft's move to a new version compares with, kept once
    # per version instead of inside every draft
    store = open_store()
    asked: list[str] = []
    first = {"child.name": "新生儿姓名", "mother.name": "母亲姓名"}

    def labels() -> dict[str, str]:
        asked.append("v1")
        return first

    assert store.versions.labels("a", "v1") is None
    store.versions.keep_labels("a", "v1", labels)
    store.versions.keep_labels("a", "v1", labels)  # already kept: not built or written again
    assert asked == ["v1"]
    assert store.versions.labels("a", "v1") == first
    store.close()
    again = open_store()  # another process keeping the same version: the first labels stay
    again.versions.keep_labels("a", "v1", lambda: {"child.name": "改"})
    assert again.versions.labels("a", "v1") == first
    assert again.versions.labels("a", "v2") is None
    again.close()
