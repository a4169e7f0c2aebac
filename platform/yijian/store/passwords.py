"""Password hashing for every kind of account (citizens and staff): argon2id, capped.

argon2id costs ~145 ms of CPU and 64 MiB per hash by design (argon2-cffi's defaults). Two
kinds of caller need it: the web app (async: the event loop must keep serving pages) and the
CLI (sync: ``yijian staff add``). One ``Passwords`` object serves both, and both paths share one
cap of ``threads`` hashes at a time, so a burst of sign-ins cannot take more than
``threads × 64 MiB`` whichever way it arrives.

It lives in the store layer, below the web adapter and the back-office application layer, so
that both import the same hasher instead of each holding a copy. It is a helper beside the
store, not part of it: ``Store`` never sees a clear password, only the hashes made here.
"""

from __future__ import annotations

import threading

import anyio
import anyio.to_thread
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

__all__ = ["MAX_PASSWORD", "Passwords"]

#: argon2 accepts more; a limit keeps a 1 MB "password" from costing much.
MAX_PASSWORD = 128
_DUMMY = "not a password of anyone"


class Passwords:
    """argon2id hash / verify with at most ``threads`` of them running at once."""

    def __init__(self, hasher: PasswordHasher | None = None, threads: int = 2):
        self._hasher = hasher or PasswordHasher()
        self._threads = threads
        self._gate = threading.BoundedSemaphore(threads)  # sync and async callers alike
        self._limiter: anyio.CapacityLimiter | None = None
        # Verified against when an account is unknown, so both failures take the same time.
        self._dummy_hash: str | None = None

    # -- blocking (CLI, worker threads) ------------------------------------------------

    def hash(self, password: str) -> str:
        with self._gate:
            return self._hasher.hash(password)

    def verify(self, password_hash: str | None, password: str) -> bool:
        """Whether ``password`` matches; False for a wrong one, a broken hash or no account.

        ``password_hash=None`` (unknown account) verifies against a dummy hash, so an unknown
        login and a wrong password take the same time.
        """
        if password_hash is None or not password_hash:
            if self._dummy_hash is None:
                self._dummy_hash = self.hash(_DUMMY)
            self._check(self._dummy_hash, password)
            return False
        return self._check(password_hash, password)

    def _check(self, password_hash: str, password: str) -> bool:
        with self._gate:
            try:
                return self._hasher.verify(password_hash, password)
            except (VerificationError, InvalidHashError):
                return False

    def needs_rehash(self, password_hash: str) -> bool:
        """True after a parameter change: rehash on the next successful sign-in."""
        try:
            return self._hasher.check_needs_rehash(password_hash)
        except InvalidHashError:
            return True

    # -- async (web) -------------------------------------------------------------------

    def _limit(self) -> anyio.CapacityLimiter:
        if self._limiter is None:  # created inside the running event loop
            self._limiter = anyio.CapacityLimiter(self._threads)
        return self._limiter

    async def hash_async(self, password: str) -> str:
        """``hash`` in a worker thread: the event loop keeps serving pages meanwhile."""
        return await anyio.to_thread.run_sync(self.hash, password, limiter=self._limit())

    async def verify_async(self, password_hash: str | None, password: str) -> bool:
        """``verify`` in a worker thread."""
        return await anyio.to_thread.run_sync(
            self.verify, password_hash, password, limiter=self._limit()
        )
