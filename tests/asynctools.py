"""Running async code from a synchronous test (imported as ``asynctools``)."""

from __future__ import annotations


def run_async(fn, *args):  # type: ignore[no-untyped-def]
    """``anyio.run(fn, *args)`` on a thread of its own. Why: under xdist a worker's main thread
    can hold a running event loop left by an earlier test, and both ``anyio.run`` and
    ``asyncio.run`` refuse to start inside one; the code under test never runs there."""
    from concurrent.futures import ThreadPoolExecutor

    import anyio

    with ThreadPoolExecutor(1) as pool:
        return pool.submit(anyio.run, fn, *args).result()
