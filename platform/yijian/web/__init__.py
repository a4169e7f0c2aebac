"""The web: thin adapters over the application layer, by audience (public, citizen, admin, staff).

Starlette + Jinja2 + htmx, server-rendered, every page working without JavaScript; see
``create_app`` in :mod:`yijian.web.app` and docs/architecture.md. ``create_app`` and
``Settings`` are imported on first use, so importing a web module (a theme plugin, say) does not
build the whole application.
"""

from __future__ import annotations

from typing import Any

__all__ = ["Settings", "create_app"]


def __getattr__(name: str) -> Any:
    if name == "create_app":
        from yijian.web.app import create_app

        return create_app
    if name == "Settings":
        from yijian.web.settings import Settings

        return Settings
    raise AttributeError(name)
