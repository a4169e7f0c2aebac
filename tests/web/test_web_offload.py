"""The store lane (web.offload.StoreLane): short store calls off the event loop, in batches."""

from __future__ import annotations

import asyncio
import threading

import pytest

from yijian.web.offload import StoreLane


def run(coro_fn):  # type: ignore[no-untyped-def]
    """``asyncio.run`` in a thread of its own: the browser tests' Playwright keeps an event
    loop running in the main thread of the same test process."""
    out: dict[str, object] = {}

    def target() -> None:
        try:
            out["value"] = asyncio.run(coro_fn())
        except BaseException as exc:  # re-raised in the test's thread
            out["error"] = exc

    thread = threading.Thread(target=target)
    thread.start()
    thread.join(30)
    if "error" in out:
        raise out["error"]  # type: ignore[misc]
    return out.get("value")


def test_calls_run_off_the_loop_in_order_and_return_their_values() -> None:
    lane = StoreLane()
    seen: list[int] = []

    def work(i: int) -> tuple[int, str]:
        seen.append(i)
        return i * i, threading.current_thread().name

    async def main() -> list[tuple[int, str]]:
        return await asyncio.gather(*(lane.call(lambda i=i: work(i)) for i in range(50)))

    results = run(main)
    lane.close()
    assert [r[0] for r in results] == [i * i for i in range(50)]
    assert seen == list(range(50))  # arrival order: later saves of a draft stay later
    assert {r[1] for r in results} == {"yijian-store"}  # never the loop's thread


def test_a_failing_call_raises_in_its_caller_and_the_lane_goes_on() -> None:
    lane = StoreLane()

    def boom() -> None:
        raise RuntimeError("disk full")

    async def main() -> int:
        with pytest.raises(RuntimeError, match="disk full"):
            await lane.call(boom)
        return await lane.call(lambda: 7)

    assert run(main) == 7
    lane.close()


def test_concurrent_calls_share_wake_ups() -> None:
    """While the thread is busy, calls queue and are settled together (one loop wake-up)."""
    lane = StoreLane()
    gate = threading.Event()
    batches: list[int] = []
    original = lane._next_batch

    def counting() -> list | None:  # type: ignore[type-arg]
        batch = original()
        if batch is not None:
            batches.append(len(batch))
        return batch

    lane._next_batch = counting  # type: ignore[method-assign]

    async def main() -> None:
        first = lane.call(gate.wait)  # holds the thread until the others are queued
        rest = [lane.call(lambda: None) for _ in range(20)]
        await asyncio.sleep(0)
        gate.set()
        await asyncio.gather(first, *rest)

    run(main)
    lane.close()
    assert sum(batches) == 21
    assert len(batches) < 21  # the twenty queued calls did not each need a wake-up


def test_an_idle_thread_ends_and_a_later_call_starts_another() -> None:
    lane = StoreLane()
    lane.IDLE = 0.01  # type: ignore[misc]

    async def one() -> int:
        return await lane.call(lambda: 1)

    assert run(one) == 1
    first = lane._thread
    assert first is not None
    first.join(2)
    assert not first.is_alive() and lane._thread is None
    assert run(one) == 1  # a new thread, a new loop: still answered
    lane.close()


def test_a_closed_lane_refuses_new_calls() -> None:
    lane = StoreLane()
    lane.close()

    async def main() -> None:
        lane.call(lambda: 1)

    with pytest.raises(RuntimeError, match="closed"):
        run(main)


def test_answer_changes_queued_together_are_saved_in_one_transaction(tmp_path, monkeypatch):
    from yijian.store import Store
    from yijian.store.drafts import Drafts, encode_answers
    from yijian.web.offload import Autosave

    store = Store.open(tmp_path / "y.db")
    a, b, done = (store.drafts.create("m", "v", None) for _ in range(3))
    with store.drafts._db.write() as c:  # a submitted draft is left as it was
        c.execute("UPDATE drafts SET status = 'submitted' WHERE id = ?", (done.id,))
    groups: list[int] = []
    save_many = Drafts.save_many

    def counted(self, saves):  # type: ignore[no-untyped-def]
        groups.append(len(saves))
        return save_many(self, saves)

    monkeypatch.setattr(Drafts, "save_many", counted)
    lane = StoreLane()
    gate = threading.Event()

    async def main() -> list[object]:
        held = lane.call(gate.wait)  # the thread is busy while the changes queue up
        saves = [
            lane.call(Autosave(store.drafts, d.id, {"n": i}, "p", encode_answers({"n": i})))
            for i, d in enumerate([a, b, done, a])
        ]
        read = lane.call(lambda: store.drafts.get(a.id).answers)  # after them, in order
        gate.set()
        await held
        return [*await asyncio.gather(*saves), await read]

    try:
        assert run(main) == [True, True, False, True, {"n": 3}]
    finally:
        lane.close()
    assert groups == [4]
    assert store.drafts.get(b.id).answers == {"n": 1}
    assert store.drafts.get(done.id).answers == {}
    store.close()
