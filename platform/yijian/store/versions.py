"""The archive of definition versions (migration 4): files by content, manifests by version;
and the field labels of each version drafts started on (migration 16, ``keep_labels``).

``archive`` is idempotent and cheap when nothing is new: a version already archived is
skipped, and a blob already stored is not written again. ``files`` returns a version's files
(path → bytes) for the registry to rebuild it after a restart.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Collection, Mapping

from yijian.store.db import Database

__all__ = ["Versions"]


class Versions:
    def __init__(self, db: Database):
        self._db = db
        self._known: set[tuple[str, str]] = set()
        self._labelled: set[tuple[str, str]] = set()  # versions whose labels are stored

    def has(self, matter_id: str, version: str) -> bool:
        if (matter_id, version) in self._known:
            return True
        with self._db.read() as c:
            found = c.execute(
                "SELECT 1 FROM definition_versions WHERE matter_id = ? AND version = ?",
                (matter_id, version),
            ).fetchone()
        if found:
            self._known.add((matter_id, version))
        return bool(found)

    def archive(self, matter_id: str, version: str, files: Mapping[str, bytes]) -> bool:
        """Keep ``files`` (root-relative path → bytes) as ``version``; False if it was kept."""
        return bool(self.archive_many([(matter_id, version, files)]))

    def known(self) -> set[tuple[str, str]]:
        """Every (matter id, version) archived (read once; the registry skips these)."""
        with self._db.read() as c:
            rows = c.execute("SELECT matter_id, version FROM definition_versions").fetchall()
        self._known |= {(r[0], r[1]) for r in rows}
        return set(self._known)

    def archive_many(self, items: list[tuple[str, str, Mapping[str, bytes]]]) -> int:
        """Archive several versions in one transaction (a build's new versions); how many
        were new."""
        fresh = [(m, v, f) for m, v, f in items if (m, v) not in self._known]
        if not fresh:
            return 0
        blobs: dict[str, bytes] = {}
        rows = []
        for matter_id, version, files in fresh:
            manifest = {}
            for rel, data in files.items():
                digest = manifest[rel] = hashlib.sha256(data).hexdigest()
                blobs[digest] = data
            rows.append((matter_id, version, json.dumps(manifest, sort_keys=True)))
        with self._db.write() as c:
            c.executemany(
                "INSERT INTO definition_blobs (sha256, data) VALUES (?, ?)"
                " ON CONFLICT (sha256) DO NOTHING",
                list(blobs.items()),
            )
            now = self._db.now()
            c.executemany(
                "INSERT INTO definition_versions (matter_id, version, manifest, created_at)"
                " VALUES (?, ?, ?, ?) ON CONFLICT (matter_id, version) DO NOTHING",
                [(*row, now) for row in rows],
            )
        self._known |= {(m, v) for m, v, _ in fresh}
        return len(fresh)

    def manifest(self, matter_id: str, version: str) -> dict[str, str] | None:
        """An archived version's files: root-relative path → sha256; None if never archived."""
        with self._db.read() as c:
            row = c.execute(
                "SELECT manifest FROM definition_versions WHERE matter_id = ? AND version = ?",
                (matter_id, version),
            ).fetchone()
        return json.loads(row[0]) if row is not None else None

    def blobs(self, digests: Collection[str]) -> dict[str, bytes]:
        """The stored bytes of these hashes (those not stored are left out)."""
        wanted = list(set(digests))
        if not wanted:
            return {}
        with self._db.read() as c:
            rows = c.execute(
                f"SELECT sha256, data FROM definition_blobs WHERE sha256 IN"
                f" ({','.join('?' for _ in wanted)})",
                wanted,
            ).fetchall()
        return {r[0]: bytes(r[1]) for r in rows}

    def files(self, matter_id: str, version: str) -> dict[str, bytes] | None:
        """The files of an archived version, or None when it was never archived."""
        manifest = self.manifest(matter_id, version)
        if manifest is None:
            return None
        blobs = self.blobs(manifest.values())
        return {rel: blobs[digest] for rel, digest in manifest.items()}

    def keep_labels(
        self, matter_id: str, version: str, labels: Callable[[], Mapping[str, str]]
    ) -> None:
        """Store the field labels of ``version`` (migration 16) unless they are: once per
        version, whatever the number of drafts started on it (``labels`` is only called then)."""
        key = (matter_id, version)
        if key in self._labelled:
            return
        text = json.dumps(dict(labels()), ensure_ascii=False, sort_keys=True)
        with self._db.write() as c:
            c.execute(
                "INSERT INTO version_labels (matter_id, version, labels, created_at)"
                " VALUES (?, ?, ?, ?) ON CONFLICT (matter_id, version) DO NOTHING",
                (matter_id, version, text, self._db.now()),
            )
        self._labelled.add(key)

    def labels(self, matter_id: str, version: str) -> dict[str, str] | None:
        """The field labels stored for ``version`` (``keep_labels``); None if never stored."""
        with self._db.read() as c:
            row = c.execute(
                "SELECT labels FROM version_labels WHERE matter_id = ? AND version = ?",
                (matter_id, version),
            ).fetchone()
        return json.loads(row[0]) if row is not None else None
