"""No import cycle between web modules (import-linter's layer contracts cover the rooms; this
covers the modules inside a room, e.g. forms and upload_page, which once imported each other)."""

from __future__ import annotations

import grimp


def test_no_web_module_imports_one_that_imports_it_back() -> None:
    graph = grimp.build_graph("yijian")
    web = [m for m in graph.modules if m.startswith("yijian.web")]
    cycles = [
        (a, b)
        for a in web
        for b in graph.find_modules_directly_imported_by(a)
        if b.startswith("yijian.web") and graph.chain_exists(importer=b, imported=a)
    ]
    assert cycles == []
