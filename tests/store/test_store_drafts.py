"""Drafts: saving, claiming, and single-use expiring resume tokens."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

import pytest

from yijian.store import CHINA_TZ, Store


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 3, 2, 9, 0, tzinfo=CHINA_TZ)

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def store(open_store: Callable[..., Store], clock: Clock):
    s = open_store(clock=clock)
    yield s
    s.close()


def test_create_save_get(store: Store, clock: Clock) -> None:
    draft = store.drafts.create("birth", "v1", None)
    assert len(draft.id) == 22 and draft.status == "open" and draft.answers == {}
    clock.now += timedelta(minutes=5)
    store.drafts.save(draft.id, {"child": {"name": "小明"}}, "page-2")
    got = store.drafts.get(draft.id)
    assert got is not None
    assert (got.answers, got.page, got.version) == ({"child": {"name": "小明"}}, "page-2", "v1")
    assert got.updated_at > got.created_at
    store.drafts.save(draft.id, {}, None, version="v2")
    assert store.drafts.get(draft.id).version == "v2"  # type: ignore[union-attr]
    assert store.drafts.get("nope") is None


def test_submitted_draft_is_frozen(store: Store) -> None:
    draft = store.drafts.create("m", "v1", None)
    store.drafts.save(draft.id, {"a": 1}, "p")
    store.cases.submit(store.drafts.get(draft.id), {"a": 1}, {}, "442000")  # type: ignore[arg-type]
    store.drafts.save(draft.id, {"a": 2}, "q")
    assert store.drafts.get(draft.id).answers == {"a": 1}  # type: ignore[union-attr]


def test_claim_only_unowned(store: Store) -> None:
    alice = store.users.create("13800138000", "h", "甲")
    bob = store.users.create("13900139000", "h", "乙")
    draft = store.drafts.create("m", "v1", None)
    store.drafts.claim(draft.id, alice.id)
    store.drafts.claim(draft.id, bob.id)  # too late: it has an owner
    assert store.drafts.get(draft.id).owner_id == alice.id  # type: ignore[union-attr]
    assert [d.id for d in store.drafts.for_owner(alice.id)] == [draft.id]
    assert store.drafts.for_owner(bob.id) == []


def test_resume_token_single_use(store: Store) -> None:
    draft = store.drafts.create("m", "v1", None)
    token = store.drafts.resume_token(draft.id)
    assert len(token) >= 43
    stored = store.db.conn().execute("SELECT token_hash FROM resume_tokens").fetchone()[0]
    assert token not in stored and len(stored) == 64  # only the sha256
    assert store.drafts.redeem(token) == draft.id
    assert store.drafts.redeem(token) is None
    assert store.drafts.redeem("made-up") is None
    assert store.drafts.redeem("") is None


def test_resume_token_expires(store: Store, clock: Clock) -> None:
    draft = store.drafts.create("m", "v1", None)
    short = store.drafts.resume_token(draft.id, ttl_hours=1)
    default = store.drafts.resume_token(draft.id)
    clock.now += timedelta(hours=2)
    assert store.drafts.redeem(short) is None
    clock.now += timedelta(hours=69)  # 71 h: still inside the 72 h default
    assert store.drafts.redeem(default) == draft.id


def test_new_token_keeps_older_ones_valid(store: Store) -> None:
    draft = store.drafts.create("m", "v1", None)
    first = store.drafts.resume_token(draft.id)
    store.drafts.resume_token(draft.id)  # pausing again does not end the first link
    assert store.drafts.redeem(first) == draft.id  # Open Forms #1959 would fail here


def test_redeeming_a_link_ends_every_other_link_and_the_secret(store: Store) -> None:
    """Draft fixation: whoever kept a second link or the old secret is shut out."""
    draft = store.drafts.create("m", "v1", None)
    old_secret = store.drafts.bind_secret(draft.id)
    assert store.drafts.holding({draft.id: old_secret}) == {draft.id}
    first = store.drafts.resume_token(draft.id)
    second = store.drafts.resume_token(draft.id)
    assert store.drafts.redeem(first) == draft.id
    assert store.drafts.redeem(second) is None
    assert store.drafts.holding({draft.id: old_secret}) == set()
    new_secret = store.drafts.bind_secret(draft.id)
    assert store.drafts.holding({draft.id: new_secret}) == {draft.id}
    assert store.drafts.holding({draft.id: old_secret, "x" * 22: new_secret}) == set()
