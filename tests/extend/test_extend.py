"""Extension points: declared in one place, the built-ins registered through entry points, and a
plugin added at run time used end to end (a prefill source filling a form without HTTP)."""

from __future__ import annotations

from pathlib import Path

import pytest

from demo_root import FORM, make_root
from yijian import extend
from yijian.apply import drafts
from yijian.apply.services import Services
from yijian.registry import Registry
from yijian.runtime.answers import get
from yijian.runtime.regions import RegionTable
from yijian.store import Store


def test_every_point_is_declared_once_with_its_group() -> None:
    names = [p.name for p in extend.POINTS]
    assert len(names) == len(set(names))
    assert {
        "rule_functions",
        "field_types",
        "prefill_sources",
        "themes",
        "identity_providers",
        "storage_backends",
        "file_stores",
        "signers",
        "notification_channels",
    } == set(names)
    assert all(p.group == f"yijian.{p.name}" for p in extend.POINTS)


def test_builtins_come_through_the_same_entry_points() -> None:
    themes = extend.THEMES.plugins()
    assert list(themes)[:2] == ["default", "elder"]
    assert themes["elder"].one_question_per_screen and not themes["default"].one_question_per_screen
    assert "account" in extend.PREFILL_SOURCES.names()
    assert {"password", "staff-password"} <= set(extend.IDENTITY_PROVIDERS.names())
    from yijian.store import Store as SqliteStore

    assert extend.STORAGE_BACKENDS.get("sqlite") is SqliteStore
    assert extend.STORAGE_BACKENDS.get("postgresql") is SqliteStore  # one Store, two engines
    from yijian.store.filestore import FileStore, FolderFileStore

    assert extend.FILE_STORES.get("folder") is FolderFileStore
    assert isinstance(FolderFileStore(Path("x")), FileStore)
    assert {"china", "dates", "tables"} <= set(extend.RULE_FUNCTIONS.names())


def test_an_unknown_plugin_says_what_exists() -> None:
    with pytest.raises(extend.UnknownPlugin, match="known: postgresql, sqlite"):
        extend.STORAGE_BACKENDS.get("oracle")


class RealName:
    """A test prefill source standing for 实名认证: it knows the verified ID number."""

    def value(self, user: object, path: str) -> str | None:
        return {"id_number": "11010519491231002X"}.get(path)


def test_a_prefill_source_registered_at_run_time_fills_the_form(tmp_path: Path) -> None:
    form = FORM.replace(
        "- {use: person.id_number, key: applicant.id_number, required: true}",
        "- {use: person.id_number, key: applicant.id_number, required: true,"
        " prefill: {source: realname, path: id_number}}",
    )
    assert form != FORM
    root = make_root(tmp_path / "root", form_yaml=form)
    registry = Registry(root)
    assert registry.load() is not None, registry.last_errors
    store = Store.open(tmp_path / "db.sqlite")
    services = Services(registry, store, RegionTable.load(), "442000")
    user = store.users.create("13800138000", "not-a-real-hash", "王芳")
    before = drafts.start(services, "demo", user)
    assert get(before.answers, "applicant.id_number") is None  # no connector: asked as usual
    extend.PREFILL_SOURCES.register("realname", RealName())
    try:
        after = drafts.start(services, "demo", user)
    finally:
        extend.PREFILL_SOURCES.unregister("realname")
    assert get(after.answers, "applicant.id_number") == "11010519491231002X"


def test_every_built_in_field_type_is_a_plugin_from_an_entry_point() -> None:
    """The twenty built-ins come through ``yijian.field_types`` like any plugin, each of the
    protocol's shape, and a compiled field carries its plugin (no lookup per request)."""
    import importlib.metadata

    from yijian.defs.fieldtype import FieldTypePlugin, field_type
    from yijian.runtime.fieldtypes import BUILTIN_ORDER

    installed = {ep.name for ep in importlib.metadata.entry_points(group="yijian.field_types")}
    assert set(BUILTIN_ORDER) == installed
    for name in BUILTIN_ORDER:
        plugin = field_type(name)
        assert isinstance(plugin, FieldTypePlugin) and plugin.name == name
        assert field_type(name) is plugin  # memoised
    assert [n for n in BUILTIN_ORDER if field_type(n).value_type == "list"] == [
        "checkboxes",
        "file",
        "repeat",
    ]
