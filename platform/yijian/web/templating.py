"""Templates in layers: county theme, then the chosen theme, then default.

One Jinja2 environment per theme is built at start-up (a ``ChoiceLoader`` of
``FileSystemLoader``s) and keeps its compiled templates, so a request never parses a template.
The citizen's theme (标准版 / 长辈版) comes from a cookie set by the switch link, so each
request picks one of the prepared environments. ``PrefixLoader`` entries let a theme extend
another by name (``{% extends "default/base.html" %}`` in the elder theme).
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import quote

from jinja2 import (
    ChoiceLoader,
    Environment,
    FileSystemLoader,
    PrefixLoader,
    TemplateNotFound,
    select_autoescape,
)
from starlette.requests import Request
from starlette.responses import HTMLResponse

from yijian.web.fieldview import DRAFT_MARK, fragment_key
from yijian.web.settings import Settings

THEME_COOKIE = "yj_theme"
THEMES = ("default", "elder")
FIELD_MACROS = "macros/form_fields.html"


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


class FieldCache:
    """The theme's ``field`` macro, remembering its HTML per field state (see ``fragment_key``).

    Why: the field macros are 90% of a form page's rendering (measured in bench/bench_web.py:
    about 4.5 ms of 5 for 40 fields), yet most fields render exactly as for the previous
    citizen: empty, shown, without a message. Keyed by everything the markup depends on, the
    cached HTML is byte-identical to a fresh render. Bounded (oldest entries go first); each
    entry keeps its field definition alive, so the ``id`` in its key cannot be reused.
    """

    def __init__(self, macro: Callable[..., Any], size: int = 4096) -> None:
        self.macro = macro
        self.size = size
        self.entries: dict[tuple[Any, ...], tuple[Any, Any, type[str], str]] = {}
        self.hits = self.misses = 0

    def __call__(self, fv: Any, *args: Any, **kwargs: Any) -> Any:
        oob = kwargs.get("oob", args[0] if args else False)
        plain = len(args) + len(kwargs) <= 1 and set(kwargs) <= {"oob"} and type(oob) is bool
        key = fragment_key(fv) if plain else None
        if key is None:
            return self.macro(fv, *args, **kwargs)
        key = (*key, oob)
        did = fv.draft_id
        entry = self.entries.get(key)
        if entry is not None:
            self.hits += 1
            kind, text = entry[2], entry[3]
            return kind(text.replace(DRAFT_MARK, did) if did else text)
        self.misses += 1
        html = self.macro(fv, *args, **kwargs)
        text = str(html)
        if DRAFT_MARK in text:  # never from our templates; then simply not cached
            return html
        if len(self.entries) >= self.size:
            with contextlib.suppress(StopIteration, KeyError, RuntimeError):
                del self.entries[next(iter(self.entries))]
        template = text.replace(did, DRAFT_MARK) if did else text
        self.entries[key] = (fv.spec, fv.material, type(html), template)
        return html


def cache_field_macro(env: Environment) -> FieldCache | None:
    """Wrap ``field`` in the theme's form_fields module, the one every ``{% import %}`` shares.

    Jinja2 keeps one module per template for imports without context, so the page and the
    htmx answer templates both call the wrapper. Only where templates never reload: a
    reloaded template makes a new module (unwrapped, so still correct, merely uncached).
    """
    try:
        module = env.get_template(FIELD_MACROS).module
    except TemplateNotFound:
        return None
    macro = getattr(module, "field", None)
    if macro is None or not callable(macro):
        return None
    cache = FieldCache(macro)
    module.field = cache  # type: ignore[attr-defined]
    return cache


class Templates:
    """The prepared environments; ``render`` picks the citizen's theme from the cookie."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.envs = {name: _environment(settings, name) for name in THEMES}
        self.field_caches = (
            {}
            if settings.reload
            else {
                name: cache
                for name, env in self.envs.items()
                if (cache := cache_field_macro(env)) is not None
            }
        )

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

    #: Starlette's ``Jinja2Templates`` call shape, for modules written against it.
    TemplateResponse = render
