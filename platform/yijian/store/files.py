"""Uploaded materials: type sniffed from the bytes, size capped, stored content-addressed.

The declared file name and content type are never trusted: the type comes from the first
bytes (PDF ``%PDF-``, JPEG ``FF D8 FF``, PNG ``89 50 4E 47 0D 0A 1A 0A``). Content lives under
``<db folder>/files/ab/cdef…`` (the sha256 split after two characters), written to a temporary
file, fsynced and renamed into place, so a reader never sees half a file and the same content
uploaded twice is stored once. No user value reaches a path: paths are built from the hash.
The table row (id, name, material, draft, owner) is what links a person to the content.
"""

from __future__ import annotations

import hashlib
import os
import secrets
import sqlite3
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from yijian.store.db import Database

__all__ = ["MAX_BYTES", "FileRef", "Files", "sniff"]

MAX_BYTES = 10 * 1024 * 1024

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
    def __init__(self, db: Database, root: Path):
        self._db = db
        self.root = root

    def _path(self, sha256: str) -> Path:
        if len(sha256) != 64 or any(c not in "0123456789abcdef" for c in sha256):
            raise ValueError("not a sha256 hex digest")
        return self.root / sha256[:2] / sha256[2:]

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
        sha = hashlib.sha256(data).hexdigest()
        self._write(sha, data)
        file_id = secrets.token_urlsafe(16)
        ref = FileRef(
            sha, len(data), found[1], _clean_name(name), material_id, file_id, draft_id, owner_id
        )
        with self._db.write() as c:
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

    def _write(self, sha: str, data: bytes) -> None:
        """Write the content once, atomically: temp file in the same folder, fsync, rename."""
        target = self._path(sha)
        if target.exists():
            return  # content-addressed: same hash, same bytes
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(data)
                out.flush()
                os.fsync(out.fileno())
            os.replace(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        dir_fd = os.open(target.parent, os.O_RDONLY)
        try:
            os.fsync(dir_fd)  # the rename itself must survive a crash
        finally:
            os.close(dir_fd)

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
        """Detach a file from a draft; the content stays (other rows may share it)."""
        with self._db.write() as c:
            c.execute("DELETE FROM files WHERE id = ? AND draft_id = ?", (file_id, draft_id))

    def open(self, sha256: str) -> bytes:
        return self._path(sha256).read_bytes()
