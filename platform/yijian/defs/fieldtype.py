"""The shape of a field-type plugin, and the one lookup every layer uses to find it.

The shape lives here, in the lowest layer that asks a plugin anything: the definition model
checks a field's keys with the plugin's :meth:`FieldTypePlugin.check_definition` before any
later layer exists. The built-in implementations (``yijian.runtime.fieldtypes.FieldKind`` and
its subclasses) sit higher because parsing and checking need the region table and the code
checksums; they reach this layer only through the ``field_types`` extension point
(``yijian.extend.FIELD_TYPES``), never by import.

:func:`field_type` is a dict lookup memoised per name (an entry-point scan happens once per
process); the compiler stores the result on each ``FieldSpec`` (``spec.kind``), so a request
never looks a type up by name at all.
"""

from __future__ import annotations

from typing import Any, ClassVar, Protocol, runtime_checkable

from yijian.extend import FIELD_TYPES

__all__ = ["FieldTypePlugin", "Posted", "field_type", "field_type_names"]


class Posted(Protocol):
    """Posted form values: Starlette's ``FormData``, or a dict-of-lists wrapper in tests."""

    def get(self, key: str) -> Any: ...

    def getlist(self, key: str) -> list[Any]: ...


@runtime_checkable
class FieldTypePlugin(Protocol):
    """What each place that used to switch on the type name asks the type instead.

    ``spec`` is a compiled ``FieldSpec`` (``.definition`` is the ``FieldDef``, ``.label``,
    ``.options``); messages are Simplified Chinese, naming the field, as today.
    """

    name: ClassVar[str]
    #: load time (defs): the field holds an answer / needs ``options`` / has row ``fields``
    answers: ClassVar[bool]
    with_options: ClassVar[bool]
    rows: ClassVar[bool]
    #: load time: the YAML keys only this type gives meaning to (documentation, docgen)
    keys: ClassVar[tuple[str, ...]]
    #: compile time: what rules read — "text", "number", "boolean", "date", "list", "none"
    value_type: ClassVar[str]
    #: web: posted with the page (False: no input, or uploaded apart), live htmx change,
    #: a typed control (change after a pause), the first input's id suffix, the view's extra
    posted: ClassVar[bool]
    live: ClassVar[bool]
    typed: ClassVar[bool]
    anchor_suffix: ClassVar[str]
    view_extra: ClassVar[str | None]
    #: templates: a control name the default macro draws, or the plugin's own Jinja2 source
    template: ClassVar[str]
    template_source: ClassVar[str | None]
    #: docs/reference/fields.md
    renders: ClassVar[str]
    checks: ClassVar[str]

    def check_definition(self, definition: Any, in_library: bool) -> tuple[str, str] | None:
        """(error code, message) when a field of this type is incomplete, else None."""
        ...

    def schema(self) -> dict[str, Any]:
        """JSON-Schema fragment an editor applies to a field of this type (``then`` branch)."""
        ...

    def parse(self, spec: Any, form: Posted, name: str, regions: Any) -> Any: ...

    def check(self, spec: Any, value: Any) -> str | None: ...

    def empty_message(self, label: str) -> str: ...

    def display(self, spec: Any, value: Any, regions: Any) -> Any: ...

    def note(self, value: Any) -> str | None:
        """A line under the control that reads the answer back (身份证号 → birth date)."""
        ...


_CACHE: dict[str, Any] = {}


def field_type(name: Any) -> Any:
    """The plugin of a field type name (an instance; a registered class is instantiated once).
    Raises ``yijian.extend.UnknownPlugin`` for a name nobody registered."""
    key = str(name)
    found = _CACHE.get(key)
    if found is None:
        plugin = FIELD_TYPES.get(key)
        found = _CACHE[key] = plugin() if isinstance(plugin, type) else plugin
    return found


def field_type_names() -> list[str]:
    """Every name the definitions may use: the built-ins and any plugin's."""
    return FIELD_TYPES.names()


FIELD_TYPES.on_change(_CACHE.clear)
