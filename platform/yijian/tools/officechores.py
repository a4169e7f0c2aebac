"""The worker's back-office chores that need the definitions (not only the store).

Built once per worker with the definitions root; the registry reloads on each round, so an
edited ``rules/org.yaml`` (the county's 好差评 days) takes effect without a restart. Today: the
one reminder to rate a closed case (``office.ratings.remind_unrated``) and the tasks of cases
deemed accepted under §32 (``office.tasks.settle_deemed``).
"""

from __future__ import annotations

from pathlib import Path

from yijian.apply.services import Services
from yijian.calendar.clock import china_today
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
        self._store, self._region = store, region

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
        reminded = remind_unrated(services, china_today())
        deemed = settle_deemed(services)  # 视为受理: their tasks open
        return f"rating reminders {len(reminded)}, deemed accepted {len(deemed)}"
