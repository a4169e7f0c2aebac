"""Templates in layers: county theme, then the chosen theme, then default.

One Jinja2 environment per theme is built at start-up (a ``ChoiceLoader`` of
``FileSystemLoader``s) and keeps its compiled templates, so a request never parses a template.
The citizen's theme (标准版 / 长辈版) comes from a cookie set by the switch link, so each
request picks one of the prepared environments. ``PrefixLoader`` entries let a theme extend
another by name (``{% extends "default/base.html" %}`` in the elder theme).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import quote

from jinja2 import ChoiceLoader, Environment, FileSystemLoader, PrefixLoader, select_autoescape
from starlette.requests import Request
from starlette.responses import HTMLResponse

from yijian.web.settings import Settings

THEME_COOKIE = "yj_theme"
THEMES = ("default", "elder")


def theme_dirs(settings: Settings, theme: str, kind: str) -> list[Path]:
    """Existing folders of ``kind`` ("templates" or "static"), first match wins."""
    roots: list[Path] = []
    if settings.county_theme:
        roots.append(settings.root / "themes" / settings.county_theme)
    for name in dict.fromkeys((theme, settings.theme, "default")):
        roots += [settings.root / "themes" / name, settings.themes_dir / name]
    out: list[Path] = []
    for r in roots:
        d = (r / kind).resolve()
        if d.is_dir() and d not in out:
            out.append(d)
    return out


def _environment(settings: Settings, theme: str) -> Environment:
    prefixed = {
        name: ChoiceLoader(
            [
                FileSystemLoader(d)
                for d in theme_dirs(settings, name, "templates")
                if name in d.parts[-2:]
            ]
            or [FileSystemLoader([])]
        )
        for name in THEMES
    }
    loader = ChoiceLoader(
        [
            *(FileSystemLoader(d) for d in theme_dirs(settings, theme, "templates")),
            PrefixLoader(prefixed),
        ]
    )
    env = Environment(
        loader=loader,
        autoescape=select_autoescape(default=True, default_for_string=True),
        auto_reload=settings.reload,
        trim_blocks=True,
        lstrip_blocks=True,
        cache_size=800,
    )
    # a county base.html `{% extends theme_base %}` keeps the chosen theme's shell (docs/themes.md)
    env.globals.update(
        site_name=settings.site_name, hotline=settings.hotline, theme_base=f"{theme}/base.html"
    )
    env.filters["urlquote"] = lambda s: quote(str(s), safe="")
    return env


class Templates:
    """The prepared environments; ``render`` picks the citizen's theme from the cookie."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.envs = {name: _environment(settings, name) for name in THEMES}

    def theme_of(self, request: Request) -> str:
        chosen = request.cookies.get(THEME_COOKIE)
        return chosen if chosen in self.envs else self.settings.theme

    def env(self, request: Request) -> Environment:
        return self.envs[self.theme_of(request)]

    def render_text(self, request: Request, name: str, context: dict[str, Any]) -> str:
        theme = self.theme_of(request)
        other = "default" if theme == "elder" else "elder"
        here = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        base = {
            "request": request,
            "theme": theme,
            "theme_switch_url": f"/theme/{other}?next={quote(here, safe='')}",
        }
        return self.envs[theme].get_template(name).render({**base, **context})

    def render(
        self,
        request: Request,
        name: str,
        context: dict[str, Any] | None = None,
        status_code: int = 200,
        headers: dict[str, str] | None = None,
    ) -> HTMLResponse:
        return HTMLResponse(
            self.render_text(request, name, context or {}), status_code, headers=headers
        )

    def TemplateResponse(
        self,
        request: Request,
        name: str,
        context: dict[str, Any] | None = None,
        status_code: int = 200,
        headers: dict[str, str] | None = None,
    ) -> HTMLResponse:
        """Starlette's ``Jinja2Templates`` call shape, for modules written against it."""
        return self.render(request, name, context, status_code, headers)
