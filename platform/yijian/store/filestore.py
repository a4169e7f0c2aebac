"""Where uploaded content lives: the ``FileStore`` interface and the built-in folder.

Why an interface: ``store.files`` keeps the rows (who uploaded what, for which draft) in the
database and the bytes somewhere else, named by their sha256. Today that is a folder (on one
machine, or a mount every app process shares); a province may want an object store. The rows
code only ever asks the four questions below, so another ``FileStore`` (a ``yijian.file_stores``
entry point, declared in ``yijian.extend``) replaces the folder without touching it.

Content-addressed means idempotent: writing the same hash twice is a no-op, and a reader never
sees half a file (the folder writes a temporary file, fsyncs and renames it into place).
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Protocol, runtime_checkable

__all__ = ["FileStore", "FolderFileStore", "is_sha256"]


def is_sha256(text: str) -> bool:
    return len(text) == 64 and all(c in "0123456789abcdef" for c in text)


@runtime_checkable
class FileStore(Protocol):
    """Content named by its sha256 (lower-case hex)."""

    def write(self, sha256: str, data: bytes) -> None:
        """Store ``data`` under its hash, durably and atomically; a no-op when present.
        Raises ``OSError`` when the store refuses (full, read-only)."""

    def exists(self, sha256: str) -> bool: ...

    def read(self, sha256: str) -> bytes:
        """The content; ``FileNotFoundError`` when it is not there."""

    def delete(self, sha256: str) -> None:
        """Remove the content (no error when it is already gone)."""

    def listing(self) -> Iterator[tuple[str, float]]:
        """Every stored hash with its last-modified time (seconds since the epoch)."""

    def probe(self) -> None:
        """Raise ``OSError`` if content cannot be written now (checked at start-up)."""


class FolderFileStore:
    """``<root>/ab/cdef…``: the hash split after two characters."""

    def __init__(self, root: Path):
        self.root = Path(root)

    def _path(self, sha256: str) -> Path:
        if not is_sha256(sha256):
            raise ValueError("not a sha256 hex digest")
        return self.root / sha256[:2] / sha256[2:]

    def exists(self, sha256: str) -> bool:
        return self._path(sha256).exists()

    def read(self, sha256: str) -> bytes:
        return self._path(sha256).read_bytes()

    def delete(self, sha256: str) -> None:
        self._path(sha256).unlink(missing_ok=True)

    def write(self, sha256: str, data: bytes) -> None:
        target = self._path(sha256)
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

    def listing(self) -> Iterator[tuple[str, float]]:
        if not self.root.is_dir():
            return
        for folder in sorted(self.root.iterdir()):
            if folder.is_dir() and len(folder.name) == 2:
                for path in folder.iterdir():
                    if path.is_file() and is_sha256(folder.name + path.name):
                        yield folder.name + path.name, path.stat().st_mtime

    def probe(self) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=self.root, prefix=".probe-")
        os.close(fd)
        os.unlink(tmp)
