"""The province's deployment in small, in Chromium: the server on PostgreSQL with two app
processes (``serve --workers 2``) and one ``yijian worker``, and the newborn bundle's whole
life through it — the citizen applies at 375 px, the window accepts, the departments work
their queues at 1280 px, the results are handed out (issue 11). Requests land on either
process, so sessions, drafts and staff sign-ins must all live in the store. Afterwards every
notification the case produced was delivered exactly once by the worker."""

from __future__ import annotations

import time
from typing import Any

import psycopg
import pytest
from test_browser_bundles import (
    test_newborn_bundle_end_to_end_with_live_member_eligibility as bundle_journey,
)

pytestmark = pytest.mark.browser


@pytest.fixture
def site(pg_site: Any) -> Any:
    """This module's tests run on the PostgreSQL site (overrides the SQLite one)."""
    return pg_site


def test_newborn_bundle_on_postgresql_with_two_processes_and_a_worker(
    site: Any, new_context: Any, shot: Any
) -> None:
    def pg_shot(page: Any, name: str) -> Any:
        return shot(page, f"pg-{name}")

    bundle_journey(site, new_context, pg_shot)
    with psycopg.connect(site.db.split("?")[0], options=_options(site.db)) as conn:
        deadline = time.monotonic() + 30
        while True:  # the worker polls every 2 s; wait until it has sent everything
            waiting, = conn.execute(
                "SELECT COUNT(*) FROM outbox WHERE sent_at IS NULL AND dead = 0"
            ).fetchone()  # fmt: skip
            if not waiting or time.monotonic() > deadline:
                break
            time.sleep(0.5)
        rows = conn.execute("SELECT attempts, sent_at IS NOT NULL, dead FROM outbox").fetchall()
        cases = conn.execute("SELECT COUNT(*) FROM cases").fetchone()[0]
    assert cases >= 1 and rows, "the journey made cases and notifications"
    assert waiting == 0, f"{waiting} notifications still waiting for the worker"
    assert all(sent and attempts == 1 and not dead for attempts, sent, dead in rows)


def _options(url: str) -> str:
    """The libpq ``options`` of a URL made by ``pg_site`` (``-csearch_path=<schema>``)."""
    return url.split("options=", 1)[1].replace("%3D", "=")
