"""Every extension point of yijian, declared in one place.

A county or a vendor extends yijian by installing a package that names its plugins under an
entry-point group (``[project.entry-points."yijian.<point>"]`` in its pyproject.toml); the
built-ins register through the very same groups in yijian's own pyproject.toml, so nothing a
plugin does is special. A point loads its entry points lazily, on first use, by import path:
this bottom-layer module never imports the layers that implement the plugins. Tests and a
definitions root may also :meth:`ExtensionPoint.register` a plugin at run time.

See docs/extending.md for each point's protocol and an example.
"""

from __future__ import annotations

import importlib.metadata
from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "FIELD_TYPES",
    "FILE_STORES",
    "IDENTITY_PROVIDERS",
    "NOTIFICATION_CHANNELS",
    "POINTS",
    "PREFILL_SOURCES",
    "RULE_FUNCTIONS",
    "SIGNERS",
    "STORAGE_BACKENDS",
    "THEMES",
    "ExtensionPoint",
    "UnknownPlugin",
]


class UnknownPlugin(LookupError):
    """No plugin of that name at this point; says which names exist."""

    def __init__(self, point: str, name: str, known: list[str]) -> None:
        self.point, self.name, self.known = point, name, known
        super().__init__(f"no {point} plugin named '{name}' (known: {', '.join(known) or 'none'})")


@dataclass
class ExtensionPoint:
    """One place where code plugs in: its name, entry-point group and what a plugin must be."""

    name: str
    doc: str
    protocol: str  # where the plugin's shape is defined (documentation, not imported)
    _loaded: dict[str, Any] | None = field(default=None, repr=False)
    _extra: dict[str, Any] = field(default_factory=dict, repr=False)
    _listeners: list[Any] = field(default_factory=list, repr=False)

    @property
    def group(self) -> str:
        return f"yijian.{self.name}"

    def _entries(self) -> dict[str, Any]:
        # No lock: loading twice from two threads is harmless (same objects), while a lock
        # would deadlock when a plugin's import itself asks this point for its plugins.
        if self._loaded is None:
            eps = importlib.metadata.entry_points(group=self.group)
            self._loaded = {ep.name: ep.load() for ep in sorted(eps, key=lambda e: e.name)}
        return self._loaded

    def plugins(self) -> dict[str, Any]:
        """Every plugin by name: installed entry points, then run-time registrations."""
        return {**self._entries(), **self._extra}

    def names(self) -> list[str]:
        return list(self.plugins())

    def get(self, name: str) -> Any:
        plugins = self.plugins()
        if name not in plugins:
            raise UnknownPlugin(self.name, name, list(plugins))
        return plugins[name]

    def register(self, name: str, plugin: Any) -> None:
        """Add (or replace) a plugin at run time (tests; a county's own code)."""
        self._extra[name] = plugin
        self._changed()

    def unregister(self, name: str) -> None:
        self._extra.pop(name, None)
        self._changed()

    def on_change(self, listener: Any) -> None:
        """Call ``listener()`` after every register/unregister (memos of looked-up plugins)."""
        self._listeners.append(listener)

    def _changed(self) -> None:
        for listener in self._listeners:
            listener()


RULE_FUNCTIONS = ExtensionPoint(
    "rule_functions",
    "modules of @rule_function functions that rules may call",
    "yijian.rules.functions.rule_function",
)
FIELD_TYPES = ExtensionPoint(
    "field_types",
    "form field types: how a type parses, checks, shows and is drawn (all twenty built in)",
    "yijian.defs.fieldtype.FieldTypePlugin (built-ins: yijian.runtime.fieldtypes.FieldKind)",
)
PREFILL_SOURCES = ExtensionPoint(
    "prefill_sources",
    "where a field's `prefill: {source: …}` value comes from (account, 实名认证, 电子证照 …)",
    "yijian.apply.prefill.PrefillSource",
)
THEMES = ExtensionPoint(
    "themes",
    "page themes (templates and static files) and how they present a page",
    "yijian.web.themes.Theme",
)
IDENTITY_PROVIDERS = ExtensionPoint(
    "identity_providers",
    "who signs people in: citizens' and staff passwords now, a province's OIDC later",
    "yijian.web.auth.IdentityProvider / yijian.office.identity.StaffIdentityProvider",
)
STORAGE_BACKENDS = ExtensionPoint(
    "storage_backends",
    "the store behind the application layer (built in: sqlite, the embedded default, and "
    "postgresql, for a province with many app processes)",
    "yijian.store.protocol.StoreProtocol",
)
FILE_STORES = ExtensionPoint(
    "file_stores",
    "where uploaded content lives, by sha256 (built in: folder; an object store later)",
    "yijian.store.filestore.FileStore (a class taken the files folder's path)",
)
SIGNERS = ExtensionPoint(
    "signers",
    "document signers: the last step of every PDF (built in: unsigned; the seal: pkcs12, "
    "pkcs11 and remote, PAdES with pyHanko)",
    "yijian.documents.signing.Signer",
)
NOTIFICATION_CHANNELS = ExtensionPoint(
    "notification_channels",
    "how messages reach people and systems (built in: email over SMTP, sms through a provider, "
    "webhook: signed JSON to a department, 审管联动)",
    "yijian.notify.channels.Channel (a class with from_settings(settings) and send(...))",
)

POINTS = (
    RULE_FUNCTIONS,
    FIELD_TYPES,
    PREFILL_SOURCES,
    THEMES,
    IDENTITY_PROVIDERS,
    STORAGE_BACKENDS,
    FILE_STORES,
    SIGNERS,
    NOTIFICATION_CHANNELS,
)
