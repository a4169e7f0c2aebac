"""The store: everything the runtime keeps — accounts, sessions, drafts, cases, events, files.

``Store.open(path)`` is the only entry point; callers use its parts (``store.users``,
``store.sessions``, ``store.drafts``, ``store.cases``, ``store.files``, ``store.staff``) and
never see SQL, so another backend (PostgreSQL, for a province with many app processes) can
replace SQLite behind the same methods. See docs/storage.md.
"""

from __future__ import annotations

from pathlib import Path

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
    """One database file plus the content-addressed file folder beside it."""

    def __init__(self, db: Database):
        self.db = db
        self.path = db.path
        self.users = Users(db)
        self.sessions = Sessions(db)
        self.drafts = Drafts(db)
        self.cases = Cases(db)
        self.files = Files(db, db.path.parent / "files")
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
    def open(cls, path: Path, clock: Clock = system_clock) -> Store:
        """Open (creating the folder and file) and bring the schema up to date.

        ``clock`` returns an aware datetime; tests inject one to expire tokens and sessions.
        """
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        db = Database(path, clock)
        db.migrate()
        return cls(db)

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
