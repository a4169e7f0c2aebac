"""The catalog (``GET /``): every matter and bundle, grouped, marked and searchable.

Searching matches Chinese text and pinyin (full and initials, so ``csyx`` finds 出生医学证明).
The index is built once per snapshot version and then only read; a search is a substring test
over a few short strings per matter, fast enough for a county's few hundred matters and a
province's ten thousand. Without JavaScript the search box is a GET form; with htmx the same URL
returns only the results fragment (``HX-Request``), so there is one code path.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from pypinyin import Style, lazy_pinyin
from starlette.requests import Request
from starlette.responses import Response

from yijian.apply.guide import limit_text, online_depth_label
from yijian.compiled.matter import CompiledMatter
from yijian.registry.snapshot import Snapshot

NO_THEME = "其他"


@dataclass(frozen=True)
class Entry:
    """One catalog line, with everything the list shows precomputed."""

    id: str
    name: str
    bundle: bool
    department: str
    themes: tuple[str, ...]
    case_type: str | None
    visits: int | None
    promised: str | None
    depth: str | None
    summary: str | None
    haystack: str = field(repr=False)


def _pinyin_keys(text: str) -> str:
    full = "".join(lazy_pinyin(text, errors="ignore"))
    initials = "".join(lazy_pinyin(text, style=Style.FIRST_LETTER, errors="ignore"))
    return f"{full} {initials}".lower()


def _bundle_entry(m: CompiledMatter, snapshot: Snapshot) -> Entry:
    d: Any = m.definition
    members = [x for x in m.members] or [
        snapshot.matters[x.matter] for x in d.matters if x.matter in snapshot.matters
    ]
    visits = max(
        (x.definition.visits for x in members if hasattr(x.definition, "visits")), default=None
    )
    # the bundle's worst case (its plan over every member), as the guide says; with optional
    # or conditional members an application may be promised less (its receipt says how much)
    days = m.extra.get("promised_days", d.promised_days)
    varies = any(x.include.value != "required" for x in d.matters)
    promised = (
        None
        if days is None
        else "当场办结"
        if days == 0
        else f"承诺{'最长' if varies else ''} {days} 个工作日"
    )
    return Entry(
        m.id, m.name, True, d.lead_department, tuple(d.themes), None, visits, promised, None,
        d.summary, "",
    )  # fmt: skip


def _matter_entry(m: CompiledMatter) -> Entry:
    d: Any = m.definition
    return Entry(
        m.id, m.name, False, d.department.name, tuple(d.themes), d.case_type.value, d.visits,
        limit_text(d.time_limits.promised, promised=True),
        online_depth_label(d.online_depth, d.handle_forms),
        None, "",
    )  # fmt: skip


def entry(m: CompiledMatter, snapshot: Snapshot) -> Entry:
    d: Any = m.definition
    e = _bundle_entry(m, snapshot) if m.kind == "bundle" else _matter_entry(m)
    aliases = tuple(getattr(d, "aliases", ()) or ())
    names = " ".join(filter(None, [m.name, getattr(d, "short_name", None), *aliases]))
    hay = " ".join(
        [
            names,
            e.department,
            " ".join(e.themes),
            getattr(d, "code", None) or "",
            _pinyin_keys(names),
        ]
    ).lower()
    return Entry(**{**e.__dict__, "haystack": hay})


@dataclass(frozen=True)
class CatalogIndex:
    version: str
    entries: tuple[Entry, ...]  # bundles first, then by name

    @classmethod
    def build(cls, snapshot: Snapshot) -> CatalogIndex:
        entries = [entry(m, snapshot) for m in snapshot.matters.values()]
        entries.sort(key=lambda e: (not e.bundle, lazy_pinyin(e.name)))
        return cls(snapshot.version, tuple(entries))

    def search(self, q: str) -> list[Entry]:
        words = q.lower().split()
        return [e for e in self.entries if all(w in e.haystack for w in words)]


def grouped(entries: list[Entry], by: str) -> list[tuple[str, list[Entry]]]:
    """Groups in first-seen order (bundles lead each group); a matter may sit in several themes."""
    groups: dict[str, list[Entry]] = defaultdict(list)
    for e in entries:
        keys = (e.themes or (NO_THEME,)) if by == "theme" else (e.department,)
        for k in keys:
            groups[k].append(e)
    return sorted(groups.items(), key=lambda kv: (kv[0] == NO_THEME, lazy_pinyin(kv[0])))


class Catalog:
    """Holds the index of the current snapshot (rebuilt when the version changes)."""

    def __init__(self) -> None:
        self._index: CatalogIndex | None = None

    def index(self, snapshot: Snapshot) -> CatalogIndex:
        idx = self._index
        if idx is None or idx.version != snapshot.version:
            idx = self._index = CatalogIndex.build(snapshot)
        return idx

    async def endpoint(self, request: Request) -> Response:
        snapshot: Snapshot = request.app.state.registry.current
        q = request.query_params.get("q", "")[:50].strip()
        by = "department" if request.query_params.get("by") == "department" else "theme"
        idx = self.index(snapshot)
        results = idx.search(q) if q else list(idx.entries)
        context = {
            "q": q,
            "by": by,
            "results": results,
            "total": len(idx.entries),
            "groups": [] if q else grouped(results, by),
        }
        name = (
            "catalog/_results.html" if request.headers.get("hx-request") else "catalog/index.html"
        )
        response = request.app.state.templates.render(request, name, context)
        response.headers["vary"] = "HX-Request, Cookie"
        return response
