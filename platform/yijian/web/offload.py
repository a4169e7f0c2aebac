"""How a handler reaches the application layer: its services, and the store off the event loop.

Why a thread: the application layer is synchronous and the store commits with fsync. Called on
the event loop, every fsync stalled every other request, and group commit never grouped (20
concurrent submissions through the app were 20 transactions of one). :func:`run` hands the call
to a worker thread of one bounded pool per app (``Settings.workers`` threads):
concurrent requests then wait in the store's queue together and one COMMIT covers them.
"""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

from starlette.requests import Request

from yijian.apply.services import Services

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
    return await asyncio.get_running_loop().run_in_executor(_executor(request), call)
