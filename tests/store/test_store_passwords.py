"""The shared argon2id hasher: sync and async paths, broken hashes, unknown accounts."""

from __future__ import annotations

import anyio
from argon2 import PasswordHasher

from yijian.store.passwords import Passwords


def test_hash_and_verify_both_ways() -> None:
    pw = Passwords(PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
    h = pw.hash("secret")
    assert h.startswith("$argon2id$") and h != pw.hash("secret")  # salted
    assert pw.verify(h, "secret") and not pw.verify(h, "Secret")
    assert not pw.verify("not a hash", "secret")
    assert not pw.verify(None, "not a password of anyone")  # unknown account: always False
    assert not pw.verify("", "secret")

    async def both() -> tuple[str, bool]:
        h2 = await pw.hash_async("密码也可以是中文")
        return h2, await pw.verify_async(h2, "密码也可以是中文")

    h2, ok = anyio.run(both)
    assert ok and pw.verify(h2, "密码也可以是中文")
    assert pw.needs_rehash("not a hash")
    assert not pw.needs_rehash(h)
