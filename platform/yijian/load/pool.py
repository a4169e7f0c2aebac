"""Parsing many files on every core: a cold load hands batches of files to worker processes.

YAML construction and validation are Python code holding the GIL, so threads do not help;
processes do, at the price of starting them and pickling the results back (measured in
docs/performance.md). Below :data:`MIN_FILES` files that price is not worth paying, and a
hot reload (a few files) never gets here.

This process parses too, while ``cores - 1`` workers parse (:func:`parse_all`: they take
batches from the front, this process from the back): only the workers' share is pickled back.
The pool is used when a core is free right now (:func:`_busy`): it once was only when the
1-minute load average showed one, which our own start-up kept from happening. Workers are forked
(about 10 ms, everything already imported) when this process runs a single thread, as at
start-up; with other threads running, a fork could copy a lock one of them holds, so the
``forkserver`` is used (about 0.7 s to start).
"""

from __future__ import annotations

import multiprocessing
import os
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import Any

MIN_FILES = 200
BATCH = 100

Job = tuple[str, str, str]  # (model name in FOLDER_FILES or "library"/"params", rel, text)


def _parse_batch(jobs: Sequence[Job]) -> list[Any]:
    import gc

    from yijian.load.source import parse_batch

    gc.disable()  # short-lived worker: collecting cycles costs more than it frees
    return parse_batch(jobs)


def workers() -> int:
    """Processes to use: the cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def _busy(n: int) -> bool:
    """Whether the other cores are taken right now (a loaded server, a shared CI machine):
    measured there, a worker without a core of its own made a cold load slower (it parses no
    faster than this process, and pickling its results back costs both of them CPU).

    Read from ``procs_running`` in ``/proc/stat`` (tasks ready to run, this one included),
    three times over 10 ms, the lowest count: busy when even then more tasks want a core
    than there are cores besides ours. The 1-minute load average, used before, lagged by a
    minute and counted this very start-up's earlier work, so the pool almost never ran."""
    counts = []
    try:
        for i in range(3):
            if i:
                time.sleep(0.005)
            with open("/proc/stat", "rb") as stat:
                for line in stat:
                    if line.startswith(b"procs_running "):
                        counts.append(int(line.split()[1]))
                        break
    except (OSError, ValueError):
        return False
    return bool(counts) and min(counts) > n - 1


def _context() -> multiprocessing.context.BaseContext:
    methods = multiprocessing.get_all_start_methods()
    if "fork" in methods and threading.active_count() == 1:
        return multiprocessing.get_context("fork")
    if "forkserver" in methods:
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload(["yijian.load.source"])
        return ctx
    return multiprocessing.get_context("spawn")


def parse_all(
    jobs: Sequence[Job],
    local: Callable[[Sequence[Job]], list[Any]],
    done: Callable[[int, list[Any]], None] | None = None,
) -> list[Any]:
    """Results for ``jobs`` in order: shared with worker processes when there are enough of
    them, else (or when processes cannot be started) all in this process with ``local``.

    The jobs are cut in batches queued for the workers, which take them from the front while
    this process takes them from the back, each batch it can still withdraw (``cancel``): on an
    idle machine the work splits by speed, on a busy one the worker does what it gets a core
    for and this process the rest, never waiting for more than the batches already handed out.

    ``done(start, results)`` is called for each finished run of jobs (``jobs[start:]``), in no
    particular order, as soon as this process has it: between its own batches it collects the
    workers' finished ones, so the caller can use them (compile the matters they complete)
    while the workers parse on.
    """
    n = workers()
    if len(jobs) < MIN_FILES or n < 2 or _busy(n):
        return _all_here(jobs, local, done)
    batches = [jobs[i : i + BATCH] for i in range(0, len(jobs), BATCH)]
    out: list[list[Any] | None] = [None] * len(batches)
    try:
        pool = ProcessPoolExecutor(max_workers=n - 1, mp_context=_context())
        futures = [pool.submit(_parse_batch, batch) for batch in batches]
    except (OSError, RuntimeError):  # no processes here (sandbox, frozen app): do it in-process
        return _all_here(jobs, local, done)

    def finish(k: int, results: list[Any]) -> None:
        out[k] = results
        if done is not None:
            done(k * BATCH, results)

    def collect(k: int) -> None:
        try:
            results = futures[k].result()
        except (OSError, RuntimeError):  # a worker died (BrokenProcessPool): parse it here
            results = local(batches[k])
        finish(k, results)

    with pool:
        front, back = 0, len(batches) - 1
        while front <= back:
            while front <= back and futures[front].done():
                collect(front)
                front += 1
            if front > back or not futures[back].cancel():
                break  # a worker has it: the rest are theirs too
            finish(back, local(batches[back]))
            back -= 1
        for k in range(front, back + 1):
            collect(k)
    return [entry for batch in out for entry in batch or ()]


def _all_here(
    jobs: Sequence[Job],
    local: Callable[[Sequence[Job]], list[Any]],
    done: Callable[[int, list[Any]], None] | None,
) -> list[Any]:
    results = local(jobs)
    if done is not None:
        done(0, results)
    return results
