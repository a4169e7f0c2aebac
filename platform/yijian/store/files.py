"""Uploaded materials: type sniffed from the bytes, size capped, stored content-addressed.

The declared file name and content type are never trusted: the type comes from the first
bytes (PDF ``%PDF-``, JPEG ``FF D8 FF``, PNG ``89 50 4E 47 0D 0A 1A 0A``). Content lives in a
``FileStore`` (``store.filestore``; by default the folder ``<db folder>/files/ab/cdef…``, the
sha256 split after two characters), written atomically, so a reader never sees half a file
and the same content uploaded twice is stored once. No user value reaches a path: paths are
built from the hash. The table row (id, name, material, draft, owner) is what links a person
to the content.

What is kept is bounded (issue 13): a draft holds at most ``DRAFT_MAX_FILES`` files and
``DRAFT_MAX_BYTES`` bytes; a file detached from its draft (removed, or replaced by a new upload)
loses its row, and its content goes as soon as no row refers to it. Content and rows change
under one lock (``_content``), so an upload of the same bytes racing a removal never ends with
a row whose content was deleted. A PDF with active content (scripts, launch actions, embedded
files: ``pdfscan``) is refused. An ``OSError`` of the folder (read-only, full) is raised as
``StoreUnavailable``: nothing was stored, and the caller says so.
"""

from __future__ import annotations

import hashlib
import secrets
import sqlite3
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from yijian.store.db import Database, StoreUnavailable
from yijian.store.filestore import FileStore, FolderFileStore, is_sha256
from yijian.store.pdfscan import active_content

__all__ = ["DRAFT_MAX_BYTES", "DRAFT_MAX_FILES", "MAX_BYTES", "FileRef", "Files", "sniff"]

MAX_BYTES = 10 * 1024 * 1024
#: per draft: more than any matter's material list needs, far less than a disk
DRAFT_MAX_FILES = 40
DRAFT_MAX_BYTES = 100 * 1024 * 1024
ACTIVE_PDF = (
    "PDF 文件含有脚本、自动操作或嵌入的文件，不能接收。"
    "请用“打印”另存为普通 PDF，或拍照、扫描后重新上传"
)

_SIGNATURES: tuple[tuple[bytes, str, str], ...] = (
    (b"%PDF-", "pdf", "application/pdf"),
    (b"\xff\xd8\xff", "jpg", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "png", "image/png"),
)
_LABELS = {"pdf": "PDF", "jpg": "JPG", "png": "PNG"}


@dataclass(frozen=True, slots=True)
class FileRef:
    sha256: str
    size: int
    mime: str
    name: str
    material_id: str
    id: str
    draft_id: str = ""
    owner_id: int | None = None


def sniff(data: bytes) -> tuple[str, str] | None:
    """(kind, mime) from the magic bytes, or None for anything else."""
    for magic, kind, mime in _SIGNATURES:
        if data.startswith(magic):
            return kind, mime
    return None


def _clean_name(name: str) -> str:
    """The base name only, without control characters, at most 120 characters (display only)."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    base = "".join(ch for ch in base if ch.isprintable()).strip()
    return base[:120] or "未命名文件"


def _ref(row: sqlite3.Row) -> FileRef:
    return FileRef(
        sha256=row["sha256"],
        size=row["size"],
        mime=row["mime"],
        name=row["name"],
        material_id=row["material_id"],
        id=row["id"],
        draft_id=row["draft_id"],
        owner_id=row["owner_id"],
    )


_COLUMNS = "id, sha256, size, mime, name, material_id, draft_id, owner_id"


class Files:
    """The ``files`` rows in the database and their content in a ``FileStore``."""

    def __init__(self, db: Database, root: Path, content: FileStore | None = None):
        self._db = db
        self.root = root
        #: where the bytes are (``store.filestore``): the folder ``root`` unless given
        self.content: FileStore = content if content is not None else FolderFileStore(root)
        self._content = threading.Lock()  # rows and content change together (module doc)

    def put(
        self,
        data: bytes,
        name: str,
        owner_id: int | None,
        draft_id: str,
        material_id: str,
        max_bytes: int = MAX_BYTES,
        types: Iterable[str] = ("pdf", "jpg", "png"),
    ) -> FileRef | str:
        """Store an upload; returns its reference, or the reason it was refused (Chinese)."""
        allowed = tuple(types)
        if len(data) > max_bytes:
            return f"文件过大：不能超过 {max_bytes // (1024 * 1024)} MB"
        if not data:
            return "文件是空的，请重新选择"
        found = sniff(data)
        if found is None or found[0] not in allowed:
            labels = "、".join(_LABELS.get(t, t.upper()) for t in allowed)
            return f"文件类型不支持：只接受 {labels}"
        if found[0] == "pdf" and active_content(data) is not None:
            return ACTIVE_PDF
        full = self._over_quota(draft_id, len(data))
        if full:
            return full
        sha = hashlib.sha256(data).hexdigest()
        self._write(sha, data)
        file_id = secrets.token_urlsafe(16)
        ref = FileRef(
            sha, len(data), found[1], _clean_name(name), material_id, file_id, draft_id, owner_id
        )
        with self._content, self._db.write() as c:
            # under the store's write lock, which the removal's unlink takes too (``remove``):
            # content removed meanwhile by another process is written again before the row
            if not self.content.exists(sha):
                self._write(sha, data)
            c.execute(
                f"INSERT INTO files ({_COLUMNS}, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    ref.id,
                    sha,
                    ref.size,
                    ref.mime,
                    ref.name,
                    material_id,
                    draft_id,
                    owner_id,
                    self._db.now(),
                ),
            )
        return ref

    def _over_quota(self, draft_id: str, size: int) -> str | None:
        """Why one more file of ``size`` bytes would take the draft past its quota, or None."""
        count, total = (
            self._db.conn()
            .execute(
                "SELECT COUNT(*), COALESCE(SUM(size), 0) FROM files WHERE draft_id = ?",
                (draft_id,),
            )
            .fetchone()
        )
        if count >= DRAFT_MAX_FILES:
            return f"这份申请已上传 {count} 个文件，已达上限，请先删除不需要的文件"
        if total + size > DRAFT_MAX_BYTES:
            limit = DRAFT_MAX_BYTES // (1024 * 1024)
            return f"这份申请上传的文件合计不能超过 {limit} MB，请先删除不需要的文件"
        return None

    def _write(self, sha: str, data: bytes) -> None:
        """Write the content once, atomically; a store that refuses (read-only, full) raises
        ``StoreUnavailable``."""
        if not is_sha256(sha):
            raise ValueError("not a sha256 hex digest")
        try:
            self.content.write(sha, data)
        except OSError as exc:
            raise StoreUnavailable(f"the files folder refused a write: {exc.strerror}") from exc

    def get(self, file_id: str) -> FileRef | None:
        row = (
            self._db.conn()
            .execute(f"SELECT {_COLUMNS} FROM files WHERE id = ?", (file_id,))
            .fetchone()
        )
        return _ref(row) if row else None

    def for_draft(self, draft_id: str) -> list[FileRef]:
        rows = (
            self._db.conn()
            .execute(
                f"SELECT {_COLUMNS} FROM files WHERE draft_id = ? ORDER BY created_at", (draft_id,)
            )
            .fetchall()
        )
        return [_ref(r) for r in rows]

    def remove(self, file_id: str, draft_id: str) -> None:
        """Detach a file from a draft; its content goes too when no other row refers to it."""
        with self._content:
            with self._db.write() as c:
                row = c.execute(
                    "SELECT sha256 FROM files WHERE id = ? AND draft_id = ?", (file_id, draft_id)
                ).fetchone()
                if row is None:
                    return
                c.execute("DELETE FROM files WHERE id = ?", (file_id,))
                sha = row["sha256"]
            # The content goes in a second transaction: under the write lock, which an upload
            # of the same bytes holds while it checks the content and inserts its row (also
            # from another process), and after the row's deletion committed (so a failed
            # commit never leaves a row without content).
            with self._db.write() as c:
                left = c.execute("SELECT 1 FROM files WHERE sha256 = ? LIMIT 1", (sha,)).fetchone()
                if left is None:
                    self.content.delete(sha)

    def probe(self) -> None:
        """Create and remove a file in the folder: raises ``StoreUnavailable`` if it cannot
        be written (checked at start-up, so the first upload is not the one to find out)."""
        try:
            self.content.probe()
        except OSError as exc:
            raise StoreUnavailable(f"{self.root}: {exc.strerror or exc}") from exc

    def open(self, sha256: str) -> bytes:
        if not is_sha256(sha256):
            raise ValueError("not a sha256 hex digest")
        return self.content.read(sha256)
