"""Shared by the back-office II tests: an example-root store, staff members and cases made
through the same functions the web calls (imported as ``taskfixtures``)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
import yaml

from yijian.apply.services import Services
from yijian.apply.submit import submit
from yijian.calendar.clock import CHINA_TZ, fixed_clock
from yijian.registry import Registry
from yijian.runtime.answers import put
from yijian.runtime.regions import RegionTable
from yijian.store import Store
from yijian.store.staff import Grant, StaffMember

REPO = Path(__file__).resolve().parents[2]
NEWBORN = "newborn-bundle"
#: Monday 2025-09-22, 10:00 in China: the newborn bundle's first acceptance case is that day
MONDAY = datetime(2025, 9, 22, 10, 0, tzinfo=CHINA_TZ)

#: a clerk of the example county
CLERK_GRANTS = ("clerk", "442000", None)

_REGISTRY: Registry | None = None


def registry() -> Registry:
    """One loaded example registry per test process (loading takes a second)."""
    global _REGISTRY
    if _REGISTRY is None:
        _REGISTRY = Registry(REPO)
        assert _REGISTRY.load() is not None, _REGISTRY.last_errors
    return _REGISTRY


def services(tmp_path: Path, when: datetime = MONDAY, backend: str = "sqlite") -> Services:
    """The application services on a fresh store: a SQLite file, or with ``backend``
    ``postgresql`` a schema of its own on the test server (``drop_store`` removes it)."""
    clock = fixed_clock(when)
    if backend == "postgresql":
        from pgtools import PG_URL, new_schema, pg_answers

        if pg_answers() is not None:
            pytest.skip(f"PostgreSQL at {PG_URL} does not answer")
        store = Store.open(PG_URL, clock=clock, schema=new_schema(), files=tmp_path / "files")
    else:
        store = Store.open(tmp_path / "db" / "yijian.db", clock=clock)
    return Services(registry(), store, RegionTable.load(), "442000", clock=clock)


def drop_store(s: Services) -> None:
    """Close the services' store; on PostgreSQL, drop its schema too."""
    schema = getattr(s.store.db, "schema", None)
    s.store.close()
    if schema:
        from pgtools import drop_schema

        drop_schema(schema)


def member(n: int, login: str, *grants: tuple[str, str, str | None]) -> StaffMember:
    return StaffMember(
        n, login, login, grants=tuple(Grant(i, n, r, g, d) for i, (r, g, d) in enumerate(grants))
    )


def case_answers(matter: str, index: int = 0) -> dict[str, Any]:
    cases = yaml.safe_load((REPO / "matters" / matter / "cases.yaml").read_text("utf-8"))
    flat = cases["cases"][index]["answers"]
    out: dict[str, Any] = {}
    for k, v in flat.items():
        put(out, k, v)
    return out


def submitted(services: Services, matter: str, answers: dict[str, Any]) -> str:
    """A case of ``matter`` with ``answers``, through ``apply.submit`` (as the citizen's)."""
    m = services.registry.current.matter(matter)
    draft = services.store.drafts.create(m.id, m.version, None)
    services.store.drafts.save(draft.id, answers, "review")
    done = submit(services, services.store.drafts.get(draft.id), m)
    assert done.case is not None, done.out.errors if done.out else done
    return done.case.case_no
