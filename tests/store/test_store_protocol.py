"""The SQLite store satisfies the store protocol, method by method and signature by signature.

A PostgreSQL backend (a later issue) implements the same protocol; this test is what keeps the
protocol and the SQLite store from drifting apart.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Protocol

import pytest

from yijian.store import Store
from yijian.store import protocol as p

PARTS = {
    "users": p.UsersStore,
    "sessions": p.SessionsStore,
    "drafts": p.DraftsStore,
    "cases": p.CasesStore,
    "files": p.FilesStore,
    "staff": p.StaffPart,
    "queues": p.QueuesPart,
    "outbox": p.OutboxPart,
    "versions": p.VersionsPart,
    "credit": p.CreditPart,
    "tasks": p.TasksPart,
    "watch": p.WatchPart,
}


def _methods(proto: type[Protocol]) -> dict[str, inspect.Signature]:
    return {
        name: inspect.signature(fn)
        for name, fn in vars(proto).items()
        if callable(fn) and not name.startswith("_")
    }


@pytest.fixture
def store(open_store: Callable[..., Store]):
    with open_store() as s:
        yield s


def test_the_sqlite_store_is_a_store(store: Store) -> None:
    assert isinstance(store, p.StoreProtocol)


@pytest.mark.parametrize("part", sorted(PARTS))
def test_every_protocol_method_exists_with_its_signature(store: Store, part: str) -> None:
    proto, impl = PARTS[part], getattr(store, part)
    assert isinstance(impl, proto)
    for name, expected in _methods(proto).items():
        got = inspect.signature(getattr(type(impl), name))
        assert list(got.parameters) == list(expected.parameters), (part, name)
        for pname, param in expected.parameters.items():
            assert got.parameters[pname].kind == param.kind, (part, name, pname)
            assert got.parameters[pname].default == param.default, (part, name, pname)


def test_the_protocol_covers_what_the_application_calls() -> None:
    # every public method of each SQLite part is in the protocol: nothing used by callers is
    # left for a second backend to discover at run time
    from yijian.store.cases import Cases
    from yijian.store.drafts import Drafts
    from yijian.store.files import Files
    from yijian.store.sessions import Sessions
    from yijian.store.staff import StaffStore
    from yijian.store.users import Users
    from yijian.store.watch import Watch

    classes = {
        "users": Users,
        "sessions": Sessions,
        "drafts": Drafts,
        "cases": Cases,
        "files": Files,
        "staff": StaffStore,
        "watch": Watch,
    }
    for part, cls in classes.items():
        public = {
            n for n, _ in inspect.getmembers(cls, inspect.isfunction) if not n.startswith("_")
        }
        assert public == set(_methods(PARTS[part])), part
