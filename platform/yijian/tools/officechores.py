"""The worker's back-office chores that need the definitions (not only the store).

Built once per worker with the definitions root; the registry reloads on each round, so an
edited ``rules/org.yaml`` (the county's 好差评 days) takes effect without a restart. Today: the
one reminder to rate a closed case (``office.ratings.remind_unrated``) and the tasks of cases
deemed accepted under §32 (``office.tasks.settle_deemed``).
"""

from __future__ import annotations

import os
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from yijian.apply.issued import issue_pending
from yijian.apply.services import Services
from yijian.calendar.clock import CHINA_TZ, china_today
from yijian.documents.notice import render_notice
from yijian.documents.result import render_result
from yijian.office.ratings import remind_unrated
from yijian.office.tasks import settle_deemed
from yijian.registry import Registry
from yijian.runtime.regions import RegionTable
from yijian.store import Store

__all__ = ["OfficeChores"]


class OfficeChores:
    def __init__(self, root: Path, store: Store, region: str | None):
        self._registry = Registry(root, region=region)
        self._services: Services | None = None
        self._store, self._region, self._root = store, region, root
        self._daily_done: object = None  # the day the once-a-day sweeps last ran
        self._templates: Any = None

    def services(self) -> Services | None:
        if self._registry.load() is None and self._registry.current is None:
            return None  # definitions broken and none loaded yet: nothing to do this round
        if self._services is None:
            table = RegionTable.load()
            self._services = Services(self._registry, self._store, table, self._region)
        return self._services

    def __call__(self) -> str:
        services = self.services()
        if services is None:
            return "rating reminders skipped (definitions do not load)"
        today = china_today()
        reminded: list[str] = []
        deemed: list[str] = []
        if self._daily_done != today:  # sweeps over every closed or waiting case: once a day
            reminded = remind_unrated(services, today)
            deemed = settle_deemed(services)  # 视为受理: their tasks open
            self._daily_done = today
        issued = self._issue(services)
        return (f"rating reminders {len(reminded)}, deemed accepted {len(deemed)},"
                f" documents issued {issued}")  # fmt: skip

    def _issue(self, services: Services) -> int | str:
        """Notices rendered and sealed here, not in the citizen's request (needs the site's
        public address for the QR code: ``YIJIAN_PUBLIC_URL``)."""
        public = os.environ.get("YIJIAN_PUBLIC_URL", "").rstrip("/")
        if not public:
            return "skipped (YIJIAN_PUBLIC_URL not set)"
        since = (datetime.now(CHINA_TZ) - timedelta(days=7)).isoformat(timespec="seconds")
        site = os.environ.get("YIJIAN_SITE_NAME", "一件 · 县政务服务")
        env = self._env()
        done = issue_pending(services, public + "/verify", site,
                             lambda i: render_notice(i, env), since,
                             render_result=lambda i: render_result(i, env))  # fmt: skip
        return len(done)

    def _env(self) -> Any:
        """The county's theme first (an overridden notice template), then the default; built
        once per worker (jinja caches the parsed templates in it)."""
        if self._templates is None:
            self._templates = self._build_env()
        return self._templates

    def _build_env(self) -> Any:
        import jinja2

        from yijian.documents.receipt import _DEFAULT_TEMPLATES

        county = self._root / "themes" / "default" / "templates"
        return jinja2.Environment(
            loader=jinja2.FileSystemLoader([str(county), str(_DEFAULT_TEMPLATES)]),
            autoescape=True, undefined=jinja2.StrictUndefined,
        )  # fmt: skip
