"""Pages never silently disappear: a broken module fails the app at import, loudly."""

from __future__ import annotations

import importlib
import sys

import pytest


@pytest.mark.parametrize("module", ["yijian.web.citizen.accounts", "yijian.web.citizen.cases"])
def test_a_broken_page_module_fails_at_start_up(
    monkeypatch: pytest.MonkeyPatch, module: str
) -> None:
    import yijian.web.app as app_module

    monkeypatch.setitem(sys.modules, module, None)  # an import of it now raises ImportError
    with pytest.raises(ImportError):
        importlib.reload(app_module)
    monkeypatch.undo()
    importlib.reload(app_module)  # and the app module is whole again for the other tests


def test_account_and_case_routes_are_always_there() -> None:
    from yijian.web.app import routes
    from yijian.web.public.catalog import Catalog
    from yijian.web.static import StaticFiles

    paths = {getattr(r, "path", "") for r in routes(StaticFiles.__new__(StaticFiles), Catalog())}
    assert {
        "/signin",
        "/signup",
        "/signout",
        "/my",
        "/cases/{case_no}",
        "/files/{file_id}",
    } <= paths
