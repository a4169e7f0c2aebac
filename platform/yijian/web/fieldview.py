"""What a template needs to draw one field: value, message, state and htmx wiring, precomputed.

Templates stay simple (one macro per type, fed plain attributes) and every decision lives here
in Python, where it is typed and tested: the posted name and HTML ids, whether the field shows,
whether its message is shown yet, the cascade of region selects, and the htmx attributes.
Each field sits in a container with a stable id (``w-<key>``), always present even when hidden,
so an htmx response can replace exactly the fields a change affected.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from datalogic_py import DataHandle

from yijian.apply.prefill import locked
from yijian.apply.submission import truthy
from yijian.compiled.matter import CompiledMatter, FieldSpec
from yijian.defs.matter import Material
from yijian.runtime.answers import get, is_empty
from yijian.runtime.fieldcheck import REGION_LEVELS
from yijian.runtime.regions import RegionTable

TEXT_TRIGGER = "change, keyup changed delay:500ms"
LEVEL_LABELS = {
    "province": "省（自治区、直辖市）",
    "city": "市（州、盟）",
    "county": "区（县、市）",
}
MIME_NAMES = {"pdf": "PDF", "jpg": "JPG", "jpeg": "JPG", "png": "PNG", "ofd": "OFD"}
#: controls whose label or legend can be the page's <h1> (components' ``is_page_heading``)
PAGE_HEADING_TEMPLATES = frozenset(
    {"text", "textarea", "number", "id_card", "phone", "bank_card", "uscc", "date", "datetime"}
    | {"select", "radio", "checkboxes", "boolean"}
)


def dom_id(name: str) -> str:
    return "f-" + name.replace(".", "-")


@dataclass
class RegionSelect:
    name: str
    id: str
    label: str
    options: list[tuple[str, str]]
    value: str | None


@dataclass
class FieldView:
    spec: FieldSpec
    name: str  # posted name: the key, or ``<repeat>.<row>.<child>``
    value: Any
    error: str | None = None
    visible: bool = True
    required: bool = False
    hx: dict[str, str] | None = None
    note: str | None = None
    rows: list[list[FieldView]] = field(default_factory=list)
    row_actions: list[dict[str, str] | None] = field(default_factory=list)
    add: dict[str, str] | None = None  # htmx attributes of the add button (None: at max_items)
    regions: list[RegionSelect] = field(default_factory=list)
    material: Material | None = None
    readonly: bool = False  # filled from the account and ``editable: false`` (web/prefill.py)
    page_heading: bool = False  # its label is the page's <h1> (长辈版: one question per screen)
    draft_id: str | None = field(default=None, repr=False)  # only in ``hx`` URLs (fragment_key)

    @property
    def id(self) -> str:
        return dom_id(self.name)

    @property
    def wrap_id(self) -> str:
        return "w-" + self.name.replace(".", "-")

    @property
    def type(self) -> str:
        return str(self.spec.type)

    @property
    def template(self) -> str:
        """The control's template: a name the default ``control`` macro draws, or a plugin's
        own (``fieldtypes/<name>.html``)."""
        kind = self.spec.kind
        return f"fieldtypes/{kind.name}.html" if kind.template_source else kind.template

    @property
    def anchor(self) -> str:
        """Where the error summary links: the first input of the field."""
        return self.id + self.spec.kind.anchor_suffix

    @property
    def limit_hint(self) -> str | None:
        """The "最多 N 字" hint under a text box: always for a textarea, for a one-line box when its
        definition sets ``max_length``. Why shown: a longer answer is refused, not cut, so the
        citizen should know the limit before typing (and the message gives the count)."""
        kind = self.spec.kind
        limit = getattr(kind, "max_chars", None)
        if limit is None or kind.template not in ("text", "textarea"):
            return None
        if kind.template == "text" and not self.spec.definition.max_length:
            return None
        return f"最多 {limit(self.spec)} 字"

    def as_page_heading(self) -> bool:
        """Make the label the page's heading where the control allows it (长辈版: the screen
        is about this one question, so its <h1> is the question, not the section); False when
        the page must draw the heading itself (regions, files, rows, read-only values)."""
        self.page_heading = not self.readonly and self.template in PAGE_HEADING_TEMPLATES
        return self.page_heading

    @property
    def text_value(self) -> Any:
        return self.value if isinstance(self.value, str | int | float) else None


class ViewBuilder:
    """Builds FieldViews for one page of one draft against one evaluation."""

    def __init__(
        self,
        m: CompiledMatter,
        draft_id: str,
        page_id: str,
        answers: dict[str, Any],
        visible: set[str],
        required: set[str],
        errors: dict[str, str],
        regions: RegionTable,
        data: dict[str, Any] | None = None,
    ) -> None:
        self.m = m
        self.draft_id = draft_id
        self.change_url = f"/drafts/{draft_id}/{page_id}/change"
        self.answers = answers
        self.visible = visible
        self.required = required
        self.errors = errors
        self.regions = regions
        self.data = data if data is not None else answers
        self.locked = locked(m, answers)
        self.materials = {}
        for ms in m.materials:
            self.materials[ms.material.id] = ms.material

    def hx(self, name: str, trigger: str = "change", action: str | None = None) -> dict[str, str]:
        wrap = "w-" + name.replace(".", "-")
        url = f"{self.change_url}?field={quote(name, safe='')}"
        if action:
            url += f"&action={quote(action, safe='')}"
        return {
            "hx-post": url,
            "hx-trigger": trigger,
            "hx-target": f"#{wrap}",
            "hx-swap": "outerHTML",
            "hx-include": f"#{wrap}",
        }

    def view(self, f: FieldSpec) -> FieldView:
        fv = self._view(
            f,
            f.key,
            get(self.answers, f.key) if f.key else None,
            f.key in self.visible or not f.key,
            f.key in self.required,
        )
        if f.key and f.key in self.locked:
            fv.readonly, fv.hx = True, None  # nothing to post on change: the server keeps it
        return fv

    def _view(
        self, f: FieldSpec, name: str, value: Any, visible: bool, required: bool
    ) -> FieldView:
        """One field's view: the plugin says whether a change posts live (and how soon), what
        note reads the answer back, and which extra the template needs (``EXTRAS``)."""
        kind = f.kind
        hx = self.hx(name, TEXT_TRIGGER if kind.typed else "change") if kind.live else None
        fv = FieldView(
            f, name, value, self.errors.get(name), visible, required, hx, draft_id=self.draft_id
        )
        fv.note = kind.note(value)
        if kind.view_extra is not None:
            EXTRAS[kind.view_extra](self, fv)
        return fv

    def _regions(self, fv: FieldView) -> None:
        fv.regions = self.region_selects(fv.spec, fv.name, fv.value)

    def _material(self, fv: FieldView) -> None:
        fv.material = self.materials.get(fv.spec.definition.material or "")

    def region_selects(self, f: FieldSpec, name: str, value: Any) -> list[RegionSelect]:
        chain = [r.code for r in self.regions.path(value)] if self.regions.is_valid(value) else []
        deepest = REGION_LEVELS.index(f.definition.region_level)
        selects: list[RegionSelect] = []
        parent: str | None = None
        for level in range(3):
            options = self.regions.children(parent)
            if not options or level > deepest:
                break
            if level and options[0].level == "county" and deepest < 2:
                break
            chosen = chain[level] if level < len(chain) else None
            label = LEVEL_LABELS[options[0].level]
            selects.append(
                RegionSelect(
                    f"{name}-{level + 1}",
                    dom_id(name) + ("" if level == 0 else f"-{level + 1}"),
                    label,
                    [(r.code, r.name) for r in options],
                    chosen,
                )
            )
            if chosen is None:
                break
            parent = chosen
        return selects

    def _rows(self, fv: FieldView) -> None:
        f, name = fv.spec, fv.name
        rows = fv.value if isinstance(fv.value, list) else []
        for i, row in enumerate(rows):
            row = row if isinstance(row, dict) else {}
            fv.rows.append(self._row(f, name, i, row))
            fv.row_actions.append(self.hx(name, "click", f"remove:{name}:{i}"))
        if len(rows) < f.definition.max_items:
            fv.add = self.hx(name, "click", f"add:{name}")

    def _row(self, f: FieldSpec, name: str, i: int, row: dict[str, Any]) -> list[FieldView]:
        """One row's fields, shown and required by rules that read ``row.<key>``."""
        handle = DataHandle({**self.data, "row": row})
        views = []
        for c in f.children:
            shown = c.visible is None or truthy(c.visible, handle)
            req = c.required is True or (
                bool(c.required) and c.required is not False and truthy(c.required, handle)
            )
            cell = f"{name}.{i}.{c.key}" if c.key else f"{name}.{i}"
            views.append(self._view(c, cell, get(row, c.key) if c.key else None, shown, req))
        return views


#: what a plugin's ``view_extra`` names: how the view gathers it (region pickers, the
#: material a file field uploads, a repeat group's rows); a plugin may reuse any of them
EXTRAS: dict[str, Any] = {
    "regions": ViewBuilder._regions,
    "material": ViewBuilder._material,
    "rows": ViewBuilder._rows,
}


#: Stands for the draft id in a cached fragment (a NUL never comes out of our templates).
DRAFT_MARK = "\x00draft\x00"
_PLAIN = (str, int, float, bool, type(None))


def _plain(value: Any) -> bool:
    """JSON-shaped (what answers are): then ``repr`` tells two values apart exactly."""
    if type(value) in _PLAIN:
        return True
    if type(value) is list:
        return all(_plain(v) for v in value)
    if type(value) is dict:
        return all(type(k) is str and _plain(v) for k, v in value.items())
    return False


#: ``fragment_key``'s default: the field's own value
_OWN: Any = object()


def fragment_key(fv: FieldView, value: Any = _OWN) -> tuple[Any, ...] | None:
    """What a field's rendered HTML depends on, with the draft id left out; None: do not cache.

    A field's markup is a function of its definition (``spec``, ``material``: fixed for one
    definition version, compared by identity), its state (value, message, shown, required,
    note, region options, read-only from the account) and its htmx URLs, which differ between
    drafts only by the draft id. So an empty field, or one holding the same answer, renders the
    same for every draft once the id is put back in: ``Templates`` caches the HTML with
    ``DRAFT_MARK`` in the id's place. Repeat groups are not cached (their rows are evaluated
    against all answers), nor fields whose value or message happen to contain the draft id
    (the mark would replace it there). ``value``: the key of ``fv`` holding that value
    instead (as ``dataclasses.replace(fv, value=value)`` would, without making one).
    """
    if value is _OWN:
        value = fv.value
    if type(fv) is not FieldView or fv.spec.kind.rows or fv.rows or fv.add:
        return None
    did = fv.draft_id
    if fv.hx is not None and (not did or did not in fv.hx.get("hx-post", "")):
        return None
    if not _plain(value):
        return None
    state = repr((value, fv.error, fv.note, fv.regions, fv.readonly))
    if did and did in state:
        return None
    hx = (
        None
        if fv.hx is None
        else tuple((k, v.replace(did, DRAFT_MARK) if did else v) for k, v in fv.hx.items())
    )
    return (id(fv.spec), id(fv.material), fv.name, fv.visible, fv.required, hx, state)


def shown_errors(errors: dict[str, str], answers: dict[str, Any], touched: str) -> dict[str, str]:
    """On a live change, show the changed field's message and those of fields already filled."""
    out = {}
    for key, msg in errors.items():
        if key == touched or key.startswith(touched + ".") or not is_empty(get(answers, key)):
            out[key] = msg
    return out
