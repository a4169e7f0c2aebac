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
