"""Group commit groups through the web: concurrent submissions share COMMITs.

Before the store went off the event loop, every handler called it on the loop, so concurrent
submissions were transactions of one (each fsync stalling every other request).
Now each submission runs in a worker thread (``web.offload.run``) and waits in the store's
queue with the others: fewer groups than submissions, and each submission exactly once.
"""

from __future__ import annotations

import asyncio
import threading
import time
from pathlib import Path
from typing import Any

import httpx
import yaml
from starlette.applications import Starlette
from webtools import BIRTH, REPO, SAME_ORIGIN

from yijian.apply import drafts
from yijian.apply.answering import answer_page
from yijian.runtime.answers import get

SUBMISSIONS = 12  # fewer than Settings.workers (16), so all can wait in the store at once


def _ready_draft(app: Starlette) -> str:
    """A draft of the birth example with every page answered (through the application layer)."""
    services = app.state.services
    wanted = yaml.safe_load((REPO / "matters" / BIRTH / "cases.yaml").read_text("utf-8"))
    wanted = wanted["cases"][0]["answers"]
    new = drafts.start(services, BIRTH, None)
    page = new.first_page
    while page != "review":
        draft, m = drafts.open_for_form(services, new.draft_id, None, [new.draft_id])
        spec = next(p for p in m.pages if p.id == page)
        values = {f.key: get(wanted, f.key) for f in spec.fields if f.key}
        done = answer_page(
            services, draft, m, page, {k: v for k, v in values.items() if v is not None}
        )
        assert done.errors == {}, done.errors
        page = done.next
    return new.draft_id


async def _submit_all(app: Starlette, secrets: dict[str, str]) -> list[httpx.Response]:
    ids = list(secrets)
    transport = httpx.ASGITransport(app=app)

    async def one(draft_id: str) -> httpx.Response:
        async with httpx.AsyncClient(
            transport=transport,
            base_url="http://testserver",
            headers=SAME_ORIGIN,
            cookies={"yj_drafts": f"{draft_id}~{secrets[draft_id]}"},  # the browser's key
        ) as client:
            return await client.post(f"/drafts/{draft_id}/submit")

    return await asyncio.gather(*(one(i) for i in ids))


def test_concurrent_submissions_share_commits(app: Starlette, tmp_path: Path) -> None:
    """Deterministic: the test holds the store's write lock while the submissions arrive, so
    every one of them must reach the store's queue at the same time (on the event loop the
    first would have blocked the loop and the others could never arrive). Released, they all
    commit in ONE group transaction, each exactly once."""
    ids = [_ready_draft(app) for _ in range(SUBMISSIONS)]
    db: Any = app.state.store.db
    bound = {i: app.state.store.drafts.bind_secret(i) for i in ids}  # before the lock is held
    groups0, pieces0 = db.group_stats()
    results: dict[str, list[httpx.Response]] = {}
    client = threading.Thread(target=lambda: results.update(r=asyncio.run(_submit_all(app, bound))))
    with db._write_lock:  # the store is busy: submissions queue up behind it
        client.start()
        deadline = time.monotonic() + 30
        while len(db._queue) < SUBMISSIONS and time.monotonic() < deadline:
            client.join(0.005)  # wait for the queue to fill, bounded
        queued = len(db._queue)
    client.join(60)
    assert queued == SUBMISSIONS, f"only {queued} submissions reached the store at once"
    responses = results["r"]
    assert all(r.status_code == 303 for r in responses)
    assert all(r.headers["location"].startswith("/cases/") for r in responses)
    assert len({r.headers["location"] for r in responses}) == SUBMISSIONS  # none lost or doubled
    groups, pieces = db.group_stats()
    assert (groups - groups0, pieces - pieces0) == (1, SUBMISSIONS)
