"""Reading a definitions root's ``site.yaml`` (name, hotline, county theme, region).

Read like every other definition file, so a mistake is a located diagnostic ``yijian check``
prints; a root without the file serves under the platform's defaults.
"""

from __future__ import annotations

from pathlib import Path

from yijian.defs.site import SiteDef
from yijian.load.checks import diagnostic_at
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
    diags = list(src.diagnostics)
    if model is not None and model.theme and not (root / "themes" / model.theme).is_dir():
        # a county theme that is not there would be skipped without a word: the site would
        # look like the platform's, not the county's
        diags.append(
            diagnostic_at(
                src,
                ("theme",),
                f"themes/{model.theme}/ is not in this root",
                "E-SITE-THEME",
                "create the folder with the templates or static files to override "
                "(docs/themes.md), or remove `theme:`",
            )
        )
        model = None
    return model, diags
