"""The store: everything the runtime keeps — accounts, sessions, drafts, cases, events, files.

``Store.open(target)`` is the only entry point: a SQLite file (the embedded default) or a
``postgresql://`` URL (a province with many app processes). Callers use its parts
(``store.users``, ``store.sessions``, ``store.drafts``, ``store.cases``, ``store.files``,
``store.staff`` …) and never see SQL or which engine is underneath. See docs/storage.md.
"""

from __future__ import annotations

import os
from pathlib import Path

from yijian.extend import FILE_STORES
from yijian.store.anchors import Anchors
from yijian.store.cases import Case, Cases, DraftNotFound
from yijian.store.credit import Credit
from yijian.store.db import CHINA_TZ, Clock, Database, system_clock
from yijian.store.drafts import Draft, Drafts
from yijian.store.events import Event
from yijian.store.files import MAX_BYTES, FileRef, Files
from yijian.store.issued import IssuedDocuments
from yijian.store.licences import Licences
from yijian.store.outbox import Outbox
from yijian.store.queues import Queues
from yijian.store.sessions import Sessions
from yijian.store.signups import Signups
from yijian.store.staff import StaffStore
from yijian.store.target import is_url, resolve
from yijian.store.tasks import Tasks
from yijian.store.users import PhoneTaken, User, Users
from yijian.store.versions import Versions
from yijian.store.watch import Watch

__all__ = [
    "CHINA_TZ",
    "MAX_BYTES",
    "Case",
    "Clock",
    "Draft",
    "DraftNotFound",
    "Event",
    "FileRef",
    "PhoneTaken",
    "Store",
    "User",
]


class Store:
    """One database plus the content-addressed file folder (beside a SQLite file)."""

    def __init__(self, db: Database, files_dir: Path | None = None):
        """``files_dir``: the uploads' folder, given to the ``yijian.file_stores`` plugin
        named by ``YIJIAN_FILE_STORE`` (default ``folder``: the content-addressed folder)."""
        self.db = db
        self.path = db.path
        self.backend = db.dialect
        self.users = Users(db)
        self.sessions = Sessions(db)
        self.drafts = Drafts(db)
        self.cases = Cases(db)
        root = files_dir or db.path.parent / "files"
        name = os.environ.get("YIJIAN_FILE_STORE") or "folder"
        self.files = Files(db, root, FILE_STORES.get(name)(root))
        self.staff = StaffStore(db)
        self.queues = Queues(db)
        self.outbox = Outbox(db)
        self.versions = Versions(db)
        self.credit = Credit(db)
        self.tasks = Tasks(db)
        self.issued = IssuedDocuments(db)
        self.licences = Licences(db)
        self.signups = Signups(db)
        self.watch = Watch(db)
        self.anchors = Anchors(db)

    @classmethod
    def open(
        cls,
        target: Path | str,
        clock: Clock = system_clock,
        files: Path | None = None,
        schema: str | None = None,
    ) -> Store:
        """Open (creating the folder and file, or the schema) and bring the schema up to date.

        ``target``: a SQLite file or a ``postgresql://`` URL (``store.target``); ``files``:
        the uploads folder (default: beside the SQLite file, ``var/files`` for PostgreSQL);
        ``schema``: a PostgreSQL schema of its own (tests, one per test). ``clock`` returns an
        aware datetime; tests inject one to expire tokens and sessions.
        """
        if is_url(target):
            from yijian.store.pg import PgDatabase

            pg = PgDatabase(str(target), clock, schema=schema)
            try:
                pg.migrate()
            except BaseException:
                pg.close()
                raise
            return cls(pg, files or resolve(str(target)).files)
        path = Path(target)
        path.parent.mkdir(parents=True, exist_ok=True)
        db = Database(path, clock)
        db.migrate()
        return cls(db, files)

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
