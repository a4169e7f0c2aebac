"""Reading a definitions root's ``site.yaml`` (name, hotline, county theme, region).

Read like every other definition file, so a mistake is a located diagnostic ``yijian check``
prints; a root without the file serves under the platform's defaults.
"""

from __future__ import annotations

from pathlib import Path

from yijian.defs.site import SiteDef
from yijian.load.source import FileCache
from yijian.located.diagnostics import Diagnostic

SITE_FILE = "site.yaml"


def read_site(root: Path) -> tuple[SiteDef | None, list[Diagnostic]]:
    """The root's site settings (None without a site.yaml, or when it is wrong) and errors."""
    path = root / SITE_FILE
    if not path.is_file():
        return None, []
    src = FileCache().read(root, path, SiteDef, SITE_FILE)
    model = src.model if isinstance(src.model, SiteDef) else None
    return model, list(src.diagnostics)
