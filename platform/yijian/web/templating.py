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
from dataclasses import replace
from pathlib import Path
from typing import Any
from urllib.parse import quote

from jinja2 import (
    ChoiceLoader,
    Environment,
    FileSystemLoader,
    FunctionLoader,
    PrefixLoader,
    TemplateNotFound,
    select_autoescape,
)
from markupsafe import escape
from starlette.requests import Request
from starlette.responses import HTMLResponse

from yijian.extend import THEMES as THEME_POINT
from yijian.runtime.fieldtypes import kind_of
from yijian.web.fieldview import DRAFT_MARK, _plain, fragment_key
from yijian.web.settings import Settings

THEME_COOKIE = "yj_theme"
#: Theme names, the default first (built-ins and installed ones: the ``yijian.themes`` point).
THEMES = tuple(sorted(THEME_POINT.names(), key=lambda n: (n != "default", n)))
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


def _field_type_template(name: str) -> str | None:
    """``fieldtypes/<type>.html``: the control a field-type plugin draws (``template_source``)."""
    folder, _, file = name.partition("/")
    if folder != "fieldtypes" or not file.endswith(".html"):
        return None
    try:
        return kind_of(file[: -len(".html")]).template_source
    except LookupError:
        return None


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
            FunctionLoader(_field_type_template),  # after the themes: a county may override
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


#: Field types whose answer appears in the markup only as the input's escaped ``value`` (or the
#: textarea's text): their HTML is cached once per state with ``VALUE_MARK`` in the value's
#: place, so a field whose value changes on every keystroke still renders from the cache.
VALUE_SLOT_TYPES = frozenset(
    {
        "text",
        "address",
        "textarea",
        "number",
        "money",
        "id_card",
        "phone",
        "bank_card",
        "uscc",
        "datetime",
    }
)
#: Stands for the escaped value in a cached fragment (like ``DRAFT_MARK``, never in our output).
VALUE_MARK = "\x00value\x00"
_SLOT_VALUES = (str, int, float)


def _value_slot(fv: Any) -> str | None:
    """The escaped text that goes in the value's place, or None: render this field as a whole."""
    if fv.type not in VALUE_SLOT_TYPES or fv.readonly or type(fv.value) not in _SLOT_VALUES:
        return None
    text = str(escape(fv.value))
    return None if "\x00" in text else text


class FieldCache:
    """The theme's ``field`` macro, remembering its HTML per field state (see ``fragment_key``).

    Why: the field macros are 90% of a form page's rendering (measured in bench/bench_web.py:
    about 4.5 ms of 5 for 40 fields), yet most fields render exactly as for the previous
    citizen: empty, shown, without a message. Keyed by everything the markup depends on, the
    cached HTML is byte-identical to a fresh render. Bounded (oldest entries go first); each
    entry keeps its field definition alive, so the ``id`` in its key cannot be reused.

    Text-like fields (``VALUE_SLOT_TYPES``) are keyed without their value, which the theme prints
    escaped as the input's value: the entry holds ``VALUE_MARK`` there, because an htmx answer
    change always draws a value never drawn before. The key keeps the value's type and whether
    it is empty, so a theme may still branch on those. Each such entry is checked once, when it
    is made, against a render with the real value; if a theme prints the value any other way
    the check fails and that field state is cached by value instead.
    """

    def __init__(self, macro: Callable[..., Any], size: int = 4096) -> None:
        self.macro = macro
        self.size = size
        self.entries: dict[tuple[Any, ...], tuple[Any, Any, type[str], str] | None] = {}
        self.hits = self.misses = 0

    def __call__(self, fv: Any, *args: Any, **kwargs: Any) -> Any:
        oob = kwargs.get("oob", args[0] if args else False)
        plain = len(args) + len(kwargs) <= 1 and set(kwargs) <= {"oob"} and type(oob) is bool
        if not plain:
            return self.macro(fv, *args, **kwargs)
        slot = _value_slot(fv)
        did = fv.draft_id
        # a value holding the draft id would have its mark replaced: never by slot (the same
        # condition ``fragment_key(fv)`` checks; the marked key covers the rest of it)
        if slot is not None and not (did and did in str(fv.value)):
            slot_key = fragment_key(fv, VALUE_MARK)  # the key of fv holding the mark
            if slot_key is not None:
                slot_key = (*slot_key, oob, type(fv.value), fv.value == "", VALUE_MARK)
                entry = self.entries.get(slot_key, False)
                if entry is False:
                    probe = replace(fv, value=VALUE_MARK)
                    return self._slot_miss(fv, probe, slot, slot_key, oob)
                if entry is not None:  # None: this theme prints the value otherwise
                    self.hits += 1
                    text = entry[3].replace(DRAFT_MARK, did) if did else entry[3]
                    return entry[2](text.replace(VALUE_MARK, slot))
        key = fragment_key(fv)
        if key is None:
            return self.macro(fv, *args, **kwargs)
        return self._by_value(fv, (*key, oob), oob)

    def _by_value(self, fv: Any, key: tuple[Any, ...], oob: bool) -> Any:
        did = fv.draft_id
        entry = self.entries.get(key)
        if entry is not None:
            self.hits += 1
            kind, text = entry[2], entry[3]
            return kind(text.replace(DRAFT_MARK, did) if did else text)
        self.misses += 1
        html = self.macro(fv, oob=oob)
        text = str(html)
        if DRAFT_MARK in text:  # never from our templates; then simply not cached
            return html
        template = text.replace(did, DRAFT_MARK) if did else text
        self._store(key, (fv.spec, fv.material, type(html), template))
        return html

    def _slot_miss(self, fv: Any, probe: Any, slot: str, key: tuple[Any, ...], oob: bool) -> Any:
        """Render the field, and with ``VALUE_MARK`` as its value: keep the marked HTML only if
        putting the real value in the mark's place gives exactly the real render."""
        self.misses += 1
        html = self.macro(fv, oob=oob)
        marked = str(self.macro(probe, oob=oob))
        did = fv.draft_id
        if (
            VALUE_MARK in marked
            and DRAFT_MARK not in marked
            and marked.replace(VALUE_MARK, slot) == str(html)
        ):
            template = marked.replace(did, DRAFT_MARK) if did else marked
            self._store(key, (fv.spec, fv.material, type(html), template))
        else:
            self._store(key, None)
        return html

    def _store(self, key: tuple[Any, ...], entry: tuple[Any, Any, type[str], str] | None) -> None:
        if len(self.entries) >= self.size:
            with contextlib.suppress(StopIteration, KeyError, RuntimeError):
                del self.entries[next(iter(self.entries))]
        self.entries[key] = entry


class BannerCache:
    """The theme's ``eligibility`` macro, remembering its HTML per banner (``pages.banner``).

    Why: an htmx change whose answer flips a rule sends the banner twice (top and bottom of
    the page), and a page draws it twice too; a banner is a small dict of texts and flags whose
    ``repr`` tells two apart exactly, and a matter has only a few distinct banners.
    """

    def __init__(self, macro: Callable[..., Any], size: int = 1024) -> None:
        self.macro = macro
        self.size = size
        self.entries: dict[str, Any] = {}

    def __call__(self, banner: Any = None, *args: Any, **kwargs: Any) -> Any:
        if args or kwargs or not (banner is None or (type(banner) is dict and _plain(banner))):
            return self.macro(banner, *args, **kwargs)
        key = repr(banner)
        html = self.entries.get(key)
        if html is None:
            html = self.macro(banner)
            if len(self.entries) >= self.size:
                with contextlib.suppress(StopIteration, KeyError, RuntimeError):
                    del self.entries[next(iter(self.entries))]
            self.entries[key] = html
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
    banner = getattr(module, "eligibility", None)
    if banner is not None and callable(banner):
        module.eligibility = BannerCache(banner)  # type: ignore[attr-defined]
    return cache


#: Stands for the draft id in a cached page (``PageCache``); never in our output.
PAGE_DRAFT_MARK = DRAFT_MARK.encode()


class PageCache:
    """Whole form pages (response bodies) per page state, with the draft id marked.

    Why: a form page drawn again for the same answers is the same bytes, yet drawing it costs
    an evaluation of the whole matter and ~1,500 values through Jinja2 (docs/performance.md,
    issue 14). The first page of every new draft is the same page (defaults only), and a page
    seen again (back, reload, the 303 after an in-page action) is the same too.

    The key is everything the page is drawn from (``web.citizen.forms.page_key``): the theme,
    the compiled matter (by identity, held by the entry: a definition reload compiles a new
    one, so it never matches), the evaluation context (its date), the page and query, the
    signed-in user, and the draft's answers *as stored* (``Draft.answers_text``): a page is
    only ever served for exactly the answers it was drawn from, so one citizen's values can
    never reach another. The draft id, the only part of a page that is not in the key, is
    kept as ``PAGE_DRAFT_MARK`` and put back on a hit. ``files``: the uploads the checklist
    counted, compared on a hit when the page showed them. Bounded (oldest out); off when
    templates reload.
    """

    def __init__(self, size: int = 256) -> None:
        self.size = size
        self.entries: dict[tuple[Any, ...], tuple[Any, str | None, bytes]] = {}
        self.hits = self.misses = 0

    def get(self, key: tuple[Any, ...], m: Any) -> tuple[str | None, bytes] | None:
        entry = self.entries.get(key)
        if entry is None or entry[0] is not m:
            self.misses += 1
            return None
        self.hits += 1
        return entry[1], entry[2]

    def put(
        self, key: tuple[Any, ...], m: Any, draft_id: str, files: str | None, body: bytes
    ) -> None:
        did = draft_id.encode()
        if PAGE_DRAFT_MARK in body or not did:
            return
        if len(self.entries) >= self.size:
            with contextlib.suppress(StopIteration, KeyError, RuntimeError):
                del self.entries[next(iter(self.entries))]
        self.entries[key] = (m, files, body.replace(did, PAGE_DRAFT_MARK))

    @staticmethod
    def body(cached: bytes, draft_id: str) -> bytes:
        return cached.replace(PAGE_DRAFT_MARK, draft_id.encode())


CHANGE = "form/_change.html"
COMPONENTS = "macros/components.html"


def _stock_context(context: dict[str, Any]) -> bool:
    """The context holds what the stock change template reads, in the shapes it expects."""
    p = context.get("progress")
    return (
        isinstance(context.get("oob"), list)
        and "main" in context
        and "rules_changed" in context
        and "materials" in context
        and (not p or (type(p) is dict and {"current", "total", "labels", "question"} <= set(p)))
    )


class Templates:
    """The prepared environments; ``render`` picks the citizen's theme from the cookie."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.envs = {name: _environment(settings, name) for name in THEMES}
        self.page_cache = None if settings.reload else PageCache()
        self._stock: dict[str, tuple[Any, Any] | None] = {}
        self.field_caches = (
            {}
            if settings.reload
            else {
                name: cache
                for name, env in self.envs.items()
                if (cache := cache_field_macro(env)) is not None
            }
        )

    def _stock_change(self, theme: str) -> tuple[Any, Any] | None:
        """(form_fields module, components module) when this theme answers a change with the
        stock ``form/_change.html`` (``change_text`` then joins its pieces in Python), else
        None. The macros are the theme's own either way: only the joining is skipped."""
        if theme in self._stock:
            return self._stock[theme]
        found = None
        env = self.envs[theme]
        stock = (self.settings.themes_dir / "default" / "templates" / CHANGE).resolve()
        with contextlib.suppress(TemplateNotFound):
            template = env.get_template(CHANGE)
            if not self.settings.reload and template.filename and Path(template.filename) == stock:
                found = (env.get_template(FIELD_MACROS).module, env.get_template(COMPONENTS).module)
        self._stock[theme] = found
        return found

    def change_text(self, request: Request, context: dict[str, Any]) -> str:
        """An htmx answer change (``form/_change.html``). With the stock template its output is
        built here, piece for piece as the template joins them (Jinja2's own cost was about a
        third of a change: its context, two imports, the loop; docs/performance.md, issue 14);
        a county theme with its own ``_change.html`` is rendered by Jinja2 as before.
        ``context["banner"]`` may be a callable, called only when the banner is drawn."""
        theme = self.theme_of(request)
        stock = self._stock_change(theme)
        if stock is None or not _stock_context(context):
            if callable(context.get("banner")):
                context = {**context, "banner": context["banner"]()}
            return self.render_text(request, CHANGE, context)
        ff, c = stock
        out = [str(escape(ff.field(context["main"])))]
        out += [str(escape(ff.field(fv, oob=True))) for fv in context["oob"]]
        if context["rules_changed"]:
            banner = context["banner"]
            banner = escape(ff.eligibility(banner() if callable(banner) else banner))
            out.append(f'<div id="eligibility" hx-swap-oob="innerHTML">{banner}</div>')
        if context["materials"] is not None:
            box = escape(ff.materials(context["materials"]))
            out.append(f'<div id="materials-box" hx-swap-oob="innerHTML">{box}</div>')
        p = context["progress"]
        if p:
            steps = c.steps(p["current"], p["total"], p["labels"], question=p["question"])
            out.append(f'<div id="progress" hx-swap-oob="innerHTML">{escape(steps)}</div>')
        return "".join(out)

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
