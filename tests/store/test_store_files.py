"""Uploads: sniffed types, size limit, content addressing, dedup, atomic writes."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest

from yijian.store import FileRef, Store

JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 100
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 100
PDF = b"%PDF-1.7\n" + b"1 0 obj\n" * 10


@pytest.fixture
def store(tmp_path: Path):
    s = Store.open(tmp_path / "var" / "y.db")
    yield s
    s.close()


def test_type_is_sniffed_not_trusted(store: Store) -> None:
    draft = store.drafts.create("m", "v1", None)
    ref = store.files.put(JPEG, "x.pdf", None, draft.id, "photo")
    assert isinstance(ref, FileRef)
    assert ref.mime == "image/jpeg" and ref.name == "x.pdf" and ref.size == len(JPEG)
    png = store.files.put(PNG, "a.jpg", None, draft.id, "photo")
    pdf = store.files.put(PDF, "scan", None, draft.id, "id")
    assert isinstance(png, FileRef) and png.mime == "image/png"
    assert isinstance(pdf, FileRef) and pdf.mime == "application/pdf"


def test_refusals(store: Store) -> None:
    draft = store.drafts.create("m", "v1", None)
    assert store.files.put(b"hello, world", "a.pdf", None, draft.id, "m") == (
        "文件类型不支持：只接受 PDF、JPG、PNG"
    )
    assert store.files.put(b"<svg/>", "a.png", None, draft.id, "m").startswith("文件类型不支持")
    big = b"%PDF-" + b"0" * (10 * 1024 * 1024)
    assert store.files.put(big, "a.pdf", None, draft.id, "m") == "文件过大：不能超过 10 MB"
    assert store.files.put(PNG, "a.png", None, draft.id, "m", types=("pdf",)) == (
        "文件类型不支持：只接受 PDF"
    )
    assert store.files.for_draft(draft.id) == []


def test_content_addressed_and_deduplicated(store: Store) -> None:
    draft = store.drafts.create("m", "v1", None)
    a = store.files.put(PDF, "a.pdf", None, draft.id, "m1")
    b = store.files.put(PDF, "../../etc/b.pdf", None, draft.id, "m2")
    assert isinstance(a, FileRef) and isinstance(b, FileRef)
    sha = hashlib.sha256(PDF).hexdigest()
    assert a.sha256 == b.sha256 == sha and a.id != b.id
    assert b.name == "b.pdf"  # only the base name is kept, for display
    root = store.path.parent / "files"
    assert (root / sha[:2] / sha[2:]).read_bytes() == PDF
    assert [p for p in root.rglob("*") if p.is_file()] == [root / sha[:2] / sha[2:]]
    assert store.files.open(sha) == PDF
    assert [f.material_id for f in store.files.for_draft(draft.id)] == ["m1", "m2"]
    store.files.remove(a.id, "another-draft")  # wrong draft: nothing happens
    assert len(store.files.for_draft(draft.id)) == 2
    store.files.remove(a.id, draft.id)
    assert [f.id for f in store.files.for_draft(draft.id)] == [b.id]
    with pytest.raises(ValueError):
        store.files.open("../../etc/passwd")


def test_write_is_atomic(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    draft = store.drafts.create("m", "v1", None)

    def crash(src: str, dst: str) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(OSError):
        store.files.put(PNG, "a.png", None, draft.id, "m")
    monkeypatch.undo()
    root = store.path.parent / "files"
    assert [p for p in root.rglob("*") if p.is_file()] == []  # no half file, no temp left
    assert store.files.for_draft(draft.id) == []
    ref = store.files.put(PNG, "a.png", None, draft.id, "m")
    assert isinstance(ref, FileRef) and store.files.open(ref.sha256) == PNG
