"""What the application layer works with, passed in explicitly (no request, no globals).

The web builds one :class:`Services` per app (``app.state.services``); a test, the CLI or a
batch job (免申即享) builds its own over the same registry and store, and a window clerk's
帮办代办 runs the same journey functions with it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from yijian.calendar.clock import Clock, china_today, system_clock
from yijian.registry import Registry
from yijian.runtime.evaluate import Context
from yijian.runtime.regions import RegionTable
from yijian.store.protocol import StoreProtocol


@dataclass
class Services:
    """The registry (definitions), the store (drafts, cases, files), the region table, the
    site's region and the one clock; ``cache``: per-app memo the journey may use (last
    outcomes of htmx changes)."""

    registry: Registry
    store: StoreProtocol
    regions: RegionTable
    region: str | None = None
    clock: Clock = system_clock
    cache: dict[str, Any] = field(default_factory=dict)

    def context(self) -> Context:
        """The evaluation context of now: today's Beijing date and the site's region."""
        return Context(today=china_today(self.clock), region=self.region)
