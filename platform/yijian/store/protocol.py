"""The store as a protocol: what the application layer may call, whatever the backend.

Why: the store is SQLite today (one file, WAL, group commit) and PostgreSQL for a province
(many app processes, one worker). The application layer (``yijian.apply``, ``yijian.office``)
and the web are written against these protocols, never against a SQLite class, so a second
backend implements the same methods and nothing above the store changes. A test
(``tests/store/test_store_protocol.py``) fails when the SQLite store stops satisfying them,
method by method and signature by signature.

Threads: every method may block on disk (fsync); callers on an event loop run it in a worker
thread (``yijian.web.offload.run``). Each thread uses its own connection.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from typing import Any, Protocol, runtime_checkable

from yijian.store.audit import AuditEntry
from yijian.store.cases import Case
from yijian.store.drafts import Draft
from yijian.store.events import Event
from yijian.store.files import MAX_BYTES, FileRef
from yijian.store.outbox import OutboxItem, Pending
from yijian.store.queues import QueueRow
from yijian.store.staff import Grant, GrantSpec, StaffMember
from yijian.store.tasks import TaskRow
from yijian.store.users import User
from yijian.store.watch import WatchedCase

__all__ = [
    "CasesStore",
    "DraftsStore",
    "FilesStore",
    "SessionsStore",
    "StaffPart",
    "StoreProtocol",
    "TasksPart",
    "UsersStore",
    "WatchPart",
]


@runtime_checkable
class UsersStore(Protocol):
    """What ``store.users`` offers."""

    def bump_session_version(self, user_id: int) -> None: ...

    def by_phone(self, phone: str) -> User | None: ...

    def create(self, phone: str, password_hash: str, name: str) -> User: ...

    def get(self, user_id: int) -> User | None: ...

    def set_password_hash(self, user_id: int, password_hash: str) -> None: ...


@runtime_checkable
class SessionsStore(Protocol):
    """What ``store.sessions`` offers."""

    def create(self, user_id: int) -> str: ...

    def get(self, session_id: str) -> User | None: ...

    def revoke(self, session_id: str) -> None: ...


@runtime_checkable
class DraftsStore(Protocol):
    """What ``store.drafts`` offers."""

    def bind_secret(self, draft_id: str) -> str: ...

    def claim(self, draft_id: str, owner_id: int) -> None: ...

    def create(self, matter_id: str, version: str, owner_id: int | None) -> Draft: ...

    def for_owner(self, owner_id: int) -> list[Draft]: ...

    def get(
        self, draft_id: str, known: tuple[str, dict[str, Any]] | None = None
    ) -> Draft | None: ...

    def holding(self, secrets_by_id: dict[str, str]) -> set[str]: ...

    def redeem(self, token: str) -> str | None: ...

    def resume_token(self, draft_id: str, ttl_hours: int = 72) -> str: ...

    def save(
        self,
        draft_id: str,
        answers: dict[str, Any],
        page: str | None,
        version: str | None = None,
        text: str | None = None,
    ) -> bool: ...

    def save_many(
        self, saves: list[tuple[str, dict[str, Any], str | None, str | None]]
    ) -> list[bool]: ...


@runtime_checkable
class CasesStore(Protocol):
    """What ``store.cases`` offers."""

    def append_event(
        self,
        case_no: str,
        kind: str,
        *,
        status: str | None = None,
        actor: str | None = None,
        data: dict[str, Any] | None = None,
    ) -> Event: ...

    def act(
        self,
        case_no: str,
        kind: str,
        *,
        status: str | None,
        actor: str,
        data: dict[str, Any],
        check: Callable[[list[Event]], str | None],
        also: Callable[[Any, Event], None] | None = None,
    ) -> Event | str: ...

    def events(self, case_no: str) -> list[Event]: ...

    def transact(self, work: Callable[[Any, str], Any]) -> Any: ...

    def with_open_kind(self, kind: str, status: str) -> list[str]: ...

    def for_owner(self, owner_id: int) -> list[Case]: ...

    def get(self, case_no: str) -> Case | None: ...

    def submit(
        self,
        draft: Draft,
        answers: Mapping[str, Any],
        summary: Mapping[str, Any],
        region: str,
        children: Sequence[Mapping[str, Any]] = (),
    ) -> Case: ...

    def verify_chain(self, case_no: str) -> bool: ...


@runtime_checkable
class FilesStore(Protocol):
    """What ``store.files`` offers."""

    def for_draft(self, draft_id: str) -> list[FileRef]: ...

    def get(self, file_id: str) -> FileRef | None: ...

    def probe(self) -> None: ...

    def open(self, sha256: str) -> bytes: ...

    def put(
        self,
        data: bytes,
        name: str,
        owner_id: int | None,
        draft_id: str,
        material_id: str,
        max_bytes: int = MAX_BYTES,
        types: Iterable[str] = ("pdf", "jpg", "png"),
    ) -> FileRef | str: ...

    def remove(self, file_id: str, draft_id: str) -> None: ...


@runtime_checkable
class StaffPart(Protocol):
    """What ``store.staffstore`` offers."""

    def add(
        self,
        login: str,
        name: str,
        password_hash: str,
        *,
        actor: str,
        phone: str | None = None,
        grants: Iterable[GrantSpec] = (),
    ) -> StaffMember: ...

    def audit(self, subject: int | None = None) -> list[AuditEntry]: ...

    def by_login(self, login: str) -> StaffMember | None: ...

    def create_session(self, staff_id: int, *, via: str = "password") -> str | None: ...

    def end_session(self, session_id: str) -> None: ...

    def get(self, staff_id: int) -> StaffMember | None: ...

    def grant(
        self, staff_id: int, role: str, region: str, department: str | None, *, actor: str
    ) -> Grant: ...

    def members(self) -> list[StaffMember]: ...

    def rehash(self, staff_id: int, old_hash: str, new_hash: str) -> None: ...

    def revoke(self, grant_id: int, *, actor: str) -> Grant | None: ...

    def session(self, session_id: str) -> StaffMember | None: ...

    def set_disabled(self, staff_id: int, disabled: bool, *, actor: str) -> bool: ...

    def set_password_hash(self, staff_id: int, password_hash: str, *, actor: str) -> None: ...

    def verify_audit(self) -> bool: ...


@runtime_checkable
class TasksPart(Protocol):
    """What ``store.tasks`` offers (the department queues)."""

    def queue(
        self,
        department: str,
        prefixes: Sequence[str],
        *,
        after: str | None = None,
        limit: int = 50,
        mine: str | None = None,
    ) -> list[TaskRow]: ...

    def of_case(self, case_no: str) -> list[TaskRow]: ...

    def counts(self, prefixes: Sequence[str], today: str) -> dict[str, dict[str, int]]: ...


@runtime_checkable
class WatchPart(Protocol):
    """What ``store.watch`` offers (supervision, 电子监察: read only)."""

    def cases(
        self,
        prefixes: Sequence[str],
        *,
        since: str | None = None,
        until: str | None = None,
        statuses: Sequence[str] | None = None,
        matters: Sequence[str] | None = None,
    ) -> list[WatchedCase]: ...

    def tasks(self, prefixes: Sequence[str]) -> list[TaskRow]: ...


@runtime_checkable
class QueuesPart(Protocol):
    """What ``store.queues`` offers."""

    def in_status(
        self,
        statuses: Sequence[str],
        prefixes: Sequence[str],
        *,
        matters: Sequence[str] | None = None,
        limit: int = 50,
        offset: int = 0,
        after: tuple[str, str] | None = None,
        before: tuple[str, str] | None = None,
    ) -> tuple[list[QueueRow], int]: ...

    def status_of(self, case_no: str) -> str | None: ...


@runtime_checkable
class OutboxPart(Protocol):
    """What ``store.outbox`` offers (``store.outbox.enqueue`` writes inside a transaction)."""

    def add(self, item: OutboxItem, case_no: str | None = None) -> bool: ...

    def claim(self, owner: str, limit: int = 20, lease_s: int = 60) -> list[Pending]: ...

    def counts(self) -> dict[str, int]: ...

    def for_case(self, case_no: str) -> list[dict[str, Any]]: ...

    def mark_failed(self, item_id: int, owner: str, error: str) -> None: ...

    def mark_sent(self, item_id: int, owner: str) -> None: ...


@runtime_checkable
class VersionsPart(Protocol):
    """What ``store.versions`` offers: the archive the registry rebuilds old versions from."""

    def archive(self, matter_id: str, version: str, files: Mapping[str, bytes]) -> bool: ...

    def archive_many(self, items: list[tuple[str, str, Mapping[str, bytes]]]) -> int: ...

    def known(self) -> set[tuple[str, str]]: ...

    def files(self, matter_id: str, version: str) -> dict[str, bytes] | None: ...

    def manifest(self, matter_id: str, version: str) -> dict[str, str] | None: ...

    def blobs(self, digests: Collection[str]) -> dict[str, bytes]: ...

    def has(self, matter_id: str, version: str) -> bool: ...

    def keep_labels(
        self, matter_id: str, version: str, labels: Callable[[], Mapping[str, str]]
    ) -> None: ...

    def labels(self, matter_id: str, version: str) -> dict[str, str] | None: ...


@runtime_checkable
class CreditPart(Protocol):
    """What ``store.credit`` offers: broken 容缺 commitments by hashed ID number."""

    def flag(self, id_number: str, case_no: str) -> None: ...

    def flagged(self, id_number: str | None) -> bool: ...


@runtime_checkable
class StoreProtocol(Protocol):
    """One store: its parts, and closing it."""

    users: UsersStore
    sessions: SessionsStore
    drafts: DraftsStore
    cases: CasesStore
    files: FilesStore
    staff: StaffPart
    queues: QueuesPart
    outbox: OutboxPart
    versions: VersionsPart
    credit: CreditPart
    tasks: TasksPart
    watch: WatchPart

    def close(self) -> None: ...
