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


class Autosave:
    """A draft autosave for the store thread (``autosave``): answer changes that the thread
    finds queued together are written in one transaction (``Drafts.save_many``)."""

    __slots__ = ("drafts", "save")

    def __init__(
        self, drafts: Any, draft_id: str, answers: dict[str, Any], page: str | None, text: str
    ) -> None:
        self.drafts = drafts
        self.save = (draft_id, answers, page, text)

    def __call__(self) -> bool:
        draft_id, answers, page, text = self.save
        return bool(self.drafts.save(draft_id, answers, page, text=text))


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
            group = _autosaves(batch)
            first = group[0][0] if len(group) > 1 else -1
            grouped = {k for k, _, _ in group} if first >= 0 else set()
            for k, (fn, future) in enumerate(batch):
                if k == first:  # answer changes queued together: one transaction, here
                    done += _save_together([(save, f) for _, save, f in group])
                    continue
                if k in grouped:
                    continue
                try:
                    done.append((future, fn(), None))
                except BaseException as exc:  # handed to the awaiting request
                    done.append((future, None, exc))
            for loop in {id(f.get_loop()): f.get_loop() for f, _, _ in done}.values():
                if not loop.is_closed():  # one wake-up per loop for the whole batch
                    mine = [d for d in done if d[0].get_loop() is loop]
                    loop.call_soon_threadsafe(_settle, mine)


def _autosaves(
    batch: list[tuple[Callable[[], Any], asyncio.Future[Any]]],
) -> list[tuple[int, Autosave, asyncio.Future[Any]]]:
    """The batch's autosaves to one store, with their places; written together at the first
    one's place. Why that is sound: every call of the batch was queued while the others were
    in flight, so any order of them is an order they could have arrived in; what stays true
    is that a call sees every save queued before it (the group is written no later than the
    first of them) and saves of one draft keep their order (``Drafts.save_many``)."""
    group: list[tuple[int, Autosave, asyncio.Future[Any]]] = []
    for k, (fn, future) in enumerate(batch):
        if not isinstance(fn, Autosave) or not hasattr(fn.drafts, "save_many"):
            continue  # a store without save_many saves one by one, in place
        if group and fn.drafts is not group[0][1].drafts:
            continue
        group.append((k, fn, future))
        if len(group) == _GROUP_MAX:
            break
    return group


#: autosaves per transaction, at most
_GROUP_MAX = 64


def _save_together(
    run: list[tuple[Autosave, asyncio.Future[Any]]],
) -> list[tuple[asyncio.Future[Any], Any, BaseException | None]]:
    try:
        written = run[0][0].drafts.save_many([fn.save for fn, _ in run])
    except BaseException as exc:  # the transaction failed: none was written, each is told
        return [(future, None, exc) for _, future in run]
    return [(future, bool(ok), None) for (_, future), ok in zip(run, written, strict=True)]


def _settle(done: list[tuple[asyncio.Future[Any], Any, BaseException | None]]) -> None:
    for future, value, exc in done:
        if future.cancelled():
            continue
        if exc is not None:
            future.set_exception(exc)
        else:
            future.set_result(value)


async def autosave(
    request: Request, drafts: Any, draft_id: str, answers: dict[str, Any], page: str, text: str
) -> bool:
    """``drafts.save(draft_id, answers, page, text=text)`` on the store thread, written in
    one transaction with the other answer changes queued with it (:class:`Autosave`); a
    store that refuses is a 503 as with :func:`in_store`."""
    return await _on_lane(request, Autosave(drafts, draft_id, answers, page, text))


async def in_store(request: Request, fn: Callable[..., T], /, *args: Any, **kwargs: Any) -> T:
    """``fn(*args, **kwargs)`` on the app's store thread: for short store calls whose caller
    does its CPU work on the event loop (the answer change). Anything long, or that commits
    durably and should group with other commits (submission), goes through :func:`run`."""
    return await _on_lane(request, functools.partial(fn, *args, **kwargs))


async def _on_lane(request: Request, call: Callable[[], T]) -> T:
    state = request.app.state
    lane = getattr(state, "store_lane", None)
    if lane is None:
        lane = state.store_lane = StoreLane()
    try:
        return await lane.call(call)
    except Exception as exc:
        if store_failed(exc):
            raise unavailable() from exc
        raise
