"""Uploads: sniffed types, size limit, content addressing, dedup, atomic writes."""

from __future__ import annotations

import hashlib
import os
import zlib
from collections.abc import Callable

import pytest

from yijian.store import FileRef, Store
from yijian.store import files as files_module
from yijian.store.db import StoreUnavailable
from yijian.store.files import ACTIVE_PDF

JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 100
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 100
PDF = b"%PDF-1.7\n" + b"1 0 obj\n" * 10
PNG_SHA = hashlib.sha256(PNG).hexdigest()


@pytest.fixture
def store(open_store: Callable[..., Store]):
    s = open_store()
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
    root = store.files.root
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
    with pytest.raises(StoreUnavailable):  # the folder's OSError, said as "nothing stored"
        store.files.put(PNG, "a.png", None, draft.id, "m")
    monkeypatch.undo()
    root = store.files.root
    assert [p for p in root.rglob("*") if p.is_file()] == []  # no half file, no temp left
    assert store.files.for_draft(draft.id) == []
    ref = store.files.put(PNG, "a.png", None, draft.id, "m")
    assert isinstance(ref, FileRef) and store.files.open(ref.sha256) == PNG


def _pdf(body: bytes) -> bytes:
    return b"%PDF-1.7\n" + body + b"\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"


OPEN_JS = b"1 0 obj\n<< /Type /Catalog /OpenAction << /S /JavaScript /JS (app.alert(1)) >> >>"


@pytest.mark.parametrize(
    "body",
    [
        OPEN_JS,
        b"1 0 obj\n<< /OpenAction 2 0 R >>\n2 0 obj\n<< /S /J#61vaScript /J#53 (x) >>",
        b"1 0 obj\n<< /AA << /O << /S /Launch /F (cmd.exe) >> >> >>",
        b"1 0 obj\n<< /Names << /EmbeddedFiles 2 0 R >> >>",
        # an object stream hides the dictionary in Flate-compressed bytes
        b"2 0 obj\n<< /Type /ObjStm /Filter /FlateDecode >>\nstream\n"
        + zlib.compress(b"<< /S /JavaScript /JS (x) >>")
        + b"\nendstream",
    ],
)
def test_a_pdf_with_active_content_is_refused(store: Store, body: bytes) -> None:
    draft = store.drafts.create("m", "v1", None)
    assert store.files.put(_pdf(body), "a.pdf", None, draft.id, "m") == ACTIVE_PDF
    assert store.files.for_draft(draft.id) == []
    assert not any(p.is_file() for p in (store.files.root).rglob("*"))


def test_a_plain_pdf_that_opens_at_a_page_is_accepted(store: Store) -> None:
    draft = store.drafts.create("m", "v1", None)
    plain = _pdf(b"1 0 obj\n<< /Type /Catalog /OpenAction [3 0 R /Fit] /JSON (no) >>")
    assert isinstance(store.files.put(plain, "a.pdf", None, draft.id, "m"), FileRef)


def test_removing_the_last_reference_deletes_the_content(store: Store) -> None:
    a = store.drafts.create("m", "v1", None)
    b = store.drafts.create("m", "v1", None)
    first = store.files.put(PNG, "a.png", None, a.id, "m")
    shared = store.files.put(PNG, "b.png", None, b.id, "m")
    assert isinstance(first, FileRef) and isinstance(shared, FileRef)
    content = store.files.root / PNG_SHA[:2] / PNG_SHA[2:]
    store.files.remove(first.id, a.id)
    assert content.exists()  # draft b still refers to the same bytes
    store.files.remove(shared.id, b.id)
    assert not content.exists() and store.files.for_draft(b.id) == []


def test_a_draft_has_a_quota_of_files(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    draft = store.drafts.create("m", "v1", None)
    for i in range(files_module.DRAFT_MAX_FILES):
        assert isinstance(store.files.put(PNG + bytes([i]), "a.png", None, draft.id, "m"), FileRef)
    refused = store.files.put(PNG + b"more", "a.png", None, draft.id, "m")
    assert isinstance(refused, str) and "已达上限" in refused
    monkeypatch.setattr(files_module, "DRAFT_MAX_BYTES", 1000)
    other = store.drafts.create("m", "v1", None)
    assert isinstance(store.files.put(PNG + b"x" * 600, "a.png", None, other.id, "m"), FileRef)
    refused = store.files.put(PNG + b"y" * 600, "a.png", None, other.id, "m")
    assert isinstance(refused, str) and "合计不能超过" in refused
