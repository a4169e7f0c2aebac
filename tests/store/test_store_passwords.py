"""The shared argon2id hasher: sync and async paths, broken hashes, unknown accounts."""

from __future__ import annotations

import threading

import anyio
from argon2 import PasswordHasher

from asynctools import run_async
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

    h2, ok = run_async(both)
    assert ok and pw.verify(h2, "密码也可以是中文")
    assert pw.needs_rehash("not a hash")
    assert not pw.needs_rehash(h)


class CountingHasher(PasswordHasher):
    """Records how many hashes run at the same moment."""

    def __init__(self) -> None:
        super().__init__(time_cost=2, memory_cost=2048, parallelism=1)
        self.lock = threading.Lock()
        self.running = 0
        self.most = 0

    def hash(self, password: str | bytes, *, salt: bytes | None = None) -> str:
        with self.lock:
            self.running += 1
            self.most = max(self.most, self.running)
        try:
            return super().hash(password, salt=salt)
        finally:
            with self.lock:
                self.running -= 1


def test_at_most_two_hashes_at_once_from_threads_and_the_event_loop() -> None:
    hasher = CountingHasher()
    pw = Passwords(hasher, threads=2)

    async def many() -> None:
        async with anyio.create_task_group() as tg:
            for i in range(6):
                tg.start_soon(pw.hash_async, f"async {i}")

    threads = [threading.Thread(target=pw.hash, args=(f"sync {i}",)) for i in range(6)]
    for t in threads:
        t.start()
    run_async(many)
    for t in threads:
        t.join()
    assert 1 <= hasher.most <= 2
