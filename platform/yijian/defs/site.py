"""``site.yaml`` at the top of a definitions root: what the county's site is called and looks like.

The name, the hotline, the county theme and the region are the county's, not the platform's, so
they live in its repository next to its matters; ``yijian serve`` reads them, and a command-line
``--region`` still wins (one machine serving a test region).
"""

from __future__ import annotations

from pydantic import Field

from yijian.defs.common import CodeStr, Def


class SiteDef(Def):
    """site.yaml."""

    name: str = Field(
        max_length=60, description="Site name in every page header and on receipts, in Chinese."
    )
    hotline: CodeStr = Field(
        "12345",
        max_length=20,
        description="Service hotline shown in the footer and where an application cannot go "
        "on, e.g. 12345.",
    )
    theme: str | None = Field(
        None,
        pattern=r"^[a-z0-9][a-z0-9_-]*$",
        max_length=40,
        description="County theme: themes/<theme>/ in this root overrides single templates.",
    )
    region: CodeStr | None = Field(
        None,
        pattern=r"^[1-9]\d{5}$",
        description="Six-digit region code of the county (calendar overlays, region pickers).",
    )
