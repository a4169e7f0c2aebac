"""How a handler reaches the application layer: its services, and the store off the event loop.

Why a thread: the application layer is synchronous and the store commits with fsync. Called on
the event loop, every fsync stalled every other request, and group commit never grouped (20
concurrent submissions through the app were 20 transactions of one). :func:`run` hands the call
to a worker thread through one bounded ``anyio.CapacityLimiter`` per app (``Settings.workers``):
concurrent requests then wait in the store's queue together and one COMMIT covers them.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

import anyio
import anyio.to_thread
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


def _limiter(request: Request) -> anyio.CapacityLimiter:
    state = request.app.state
    limiter = getattr(state, "limiter", None)
    if limiter is None:  # created inside the running event loop, once per app
        settings = getattr(state, "settings", None)
        limiter = state.limiter = anyio.CapacityLimiter(getattr(settings, "workers", 16))
    return limiter


async def run(request: Request, fn: Callable[..., T], /, *args: Any, **kwargs: Any) -> T:
    """``fn(*args, **kwargs)`` in a worker thread, at most ``Settings.workers`` at once."""
    call = functools.partial(fn, *args, **kwargs)
    return await anyio.to_thread.run_sync(call, limiter=_limiter(request))
