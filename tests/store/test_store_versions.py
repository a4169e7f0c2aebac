"""The version archive (migration 4): content-addressed, idempotent, read back whole."""

from __future__ import annotations

from pathlib import Path

from yijian.store import Store


def test_archive_keeps_files_once_and_reads_them_back(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "y.db")
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
    again = Store.open(tmp_path / "y.db")
    assert again.versions.known() == {("a", "v1"), ("a", "v2")}
    again.close()
