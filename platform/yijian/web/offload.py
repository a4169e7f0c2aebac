"""How a handler reaches the application layer: its services, and the store off the event loop.

Why a thread: the application layer is synchronous and the store commits with fsync. Called on
the event loop, every fsync stalled every other request, and group commit never grouped (20
concurrent submissions through the app were 20 transactions of one). :func:`run` hands the call
to a worker thread of one bounded pool per app (``Settings.workers`` threads):
concurrent requests then wait in the store's queue together and one COMMIT covers them.

A store that refuses (locked past its timeout, read-only, full: ``web.failures``) is answered
503 with Retry-After by both :func:`run` and :func:`in_store`, never a 500 that claims the
answers were saved.
"""

from __future__ import annotations

import asyncio
import collections
import functools
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

from starlette.requests import Request

from yijian.apply.services import Services
from yijian.web.failures import store_failed, unavailable

T = TypeVar("T")


def services_of(request: Request) -> Services:
    """The app's services (``create_app`` makes them; an app mounting only some routes, as a
    test may, gets services over what its state holds)."""
    state = request.app.state
    services = getattr(state, "services", None)
    if services is None:
        settings = getattr(state, "settings", None)
        services = state.services = Services(
            getattr(state, "registry", None),  # type: ignore[arg-type]
            state.store,
            getattr(state, "regions", None),  # type: ignore[arg-type]
            getattr(settings, "region", None),
        )
    return services


def _executor(request: Request) -> ThreadPoolExecutor:
    state = request.app.state
    pool = getattr(state, "executor", None)
    if pool is None:  # one bounded pool per app, made on first use
        settings = getattr(state, "settings", None)
        workers = getattr(settings, "workers", 16)
        pool = state.executor = ThreadPoolExecutor(workers, thread_name_prefix="yijian-app")
    return pool


async def run(request: Request, fn: Callable[..., T], /, *args: Any, **kwargs: Any) -> T:
    """``fn(*args, **kwargs)`` in a worker thread, at most ``Settings.workers`` at once.

    asyncio's ``run_in_executor`` over one bounded pool: measured cheaper per call than
    ``anyio.to_thread.run_sync`` with a limiter on the hot answer-change path (bench_web).
    """
    call = functools.partial(fn, *args, **kwargs)
    try:
        return await asyncio.get_running_loop().run_in_executor(_executor(request), call)
    except Exception as exc:
        if store_failed(exc):
            raise unavailable() from exc
        raise


class StoreLane:
    """One thread that runs short store calls (read a draft, autosave it) in arrival order.

    Why beside the pool: an answer change is mostly CPU (rules, fragments) around two short
    store calls. Handing the whole change to a pool thread cost about 120 µs of CPU per
    request on one core (a thread wake-up and GIL hand-overs each time; bench_web: 0.23× →
    0.20× of the bare POST). Here the CPU part stays on the event loop and only the store
    calls cross: while requests keep coming the thread drains its queue without sleeping and
    wakes the loop once per batch, so a change costs what it cost before the store left the
    loop, and the loop still never waits on SQLite (a lock held elsewhere stalls this thread,
    not the other requests).
    """

    #: An idle thread ends after this many seconds and the next call starts another, so an
    #: app that is dropped without its shutdown (a test) leaves no thread behind for long.
    IDLE = 10.0

    def __init__(self) -> None:
        self._queue: collections.deque[tuple[Callable[[], Any], asyncio.Future[Any]]] = (
            collections.deque()
        )
        self._ready = threading.Condition()
        self._thread: threading.Thread | None = None
        self._closed = False

    def call(self, fn: Callable[[], T]) -> asyncio.Future[T]:
        future: asyncio.Future[T] = asyncio.get_running_loop().create_future()
        with self._ready:
            if self._closed:
                raise RuntimeError("the store lane is closed")
            self._queue.append((fn, future))
            if self._thread is None:
                self._thread = threading.Thread(target=self._work, name="yijian-store", daemon=True)
                self._thread.start()
            self._ready.notify()
        return future

    def close(self) -> None:
        """Finish what is queued, then end the thread (app shutdown)."""
        with self._ready:
            self._closed = True
            self._ready.notify()

    def _next_batch(self) -> list[tuple[Callable[[], Any], asyncio.Future[Any]]] | None:
        with self._ready:
            if not self._queue and not self._closed:
                self._ready.wait(self.IDLE)
            if not self._queue:
                self._thread = None  # idle or closed: a later call starts a new thread
                return None
            batch = list(self._queue)
            self._queue.clear()
            return batch

    def _work(self) -> None:
        while (batch := self._next_batch()) is not None:
            done: list[tuple[asyncio.Future[Any], Any, BaseException | None]] = []
            for fn, future in batch:
                try:
                    done.append((future, fn(), None))
                except BaseException as exc:  # handed to the awaiting request
                    done.append((future, None, exc))
            for loop in {id(f.get_loop()): f.get_loop() for f, _, _ in done}.values():
                if not loop.is_closed():  # one wake-up per loop for the whole batch
                    mine = [d for d in done if d[0].get_loop() is loop]
                    loop.call_soon_threadsafe(_settle, mine)


def _settle(done: list[tuple[asyncio.Future[Any], Any, BaseException | None]]) -> None:
    for future, value, exc in done:
        if future.cancelled():
            continue
        if exc is not None:
            future.set_exception(exc)
        else:
            future.set_result(value)


async def in_store(request: Request, fn: Callable[..., T], /, *args: Any, **kwargs: Any) -> T:
    """``fn(*args, **kwargs)`` on the app's store thread: for short store calls whose caller
    does its CPU work on the event loop (the answer change). Anything long, or that commits
    durably and should group with other commits (submission), goes through :func:`run`."""
    state = request.app.state
    lane = getattr(state, "store_lane", None)
    if lane is None:
        lane = state.store_lane = StoreLane()
    try:
        return await lane.call(functools.partial(fn, *args, **kwargs))
    except Exception as exc:
        if store_failed(exc):
            raise unavailable() from exc
        raise
