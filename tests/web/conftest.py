"""Fixtures for the web tests: a definitions root (the repository's examples plus a test matter
with a repeat group, an upload and every China widget), an app on a temporary database, and
clients that behave like browsers (same-origin fetch metadata on posts)."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from starlette.applications import Starlette
from webtools import BIRTH, FIXTURE, REPO, SAME_ORIGIN, TestClient

from yijian.web import Settings, create_app

#: a partial copy of the example root: without its organisation (rules/org.yaml names
#: centres and departments of matters this root does not hold)
PARTIAL = shutil.ignore_patterns("__pycache__", "org.yaml")


@pytest.fixture
def web_root(tmp_path: Path) -> Path:
    root = tmp_path / "root"
    # only the example this suite relies on: other examples change while colleagues work
    shutil.copytree(REPO / "matters" / BIRTH, root / "matters" / BIRTH)
    shutil.copytree(FIXTURE / "matters", root / "matters", dirs_exist_ok=True)
    shutil.copytree(REPO / "forms", root / "forms")
    shutil.copytree(REPO / "rules", root / "rules", ignore=PARTIAL)
    return root


@pytest.fixture
def app(web_root: Path, tmp_path: Path) -> Iterator[Starlette]:
    """The app on a SQLite file; with ``YIJIAN_TEST_BACKEND=postgresql`` on a schema of its
    own on the test server instead (a whole-suite run on PostgreSQL, by hand or in CI)."""
    if os.environ.get("YIJIAN_TEST_BACKEND") != "postgresql":
        yield create_app(Settings(root=web_root, db_path=tmp_path / "var" / "yijian.db"))
        return
    import psycopg

    from pgtools import PG_URL, drop_schema, new_schema

    schema = new_schema()
    with psycopg.connect(PG_URL, autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')  # type: ignore[arg-type]
    url = f"{PG_URL}?options=-csearch_path%3D{schema}"
    settings = Settings(
        root=web_root, db_path=tmp_path / "var" / "yijian.db", db_url=url,
        files_dir=tmp_path / "var" / "files",
    )  # fmt: skip
    app = create_app(settings)
    try:
        yield app
    finally:
        app.state.store.close()
        drop_schema(schema)


@pytest.fixture
def client(app: Starlette) -> Iterator[TestClient]:
    with TestClient(app, headers=SAME_ORIGIN) as c:
        yield c


@pytest.fixture
def other_client(app: Starlette) -> Iterator[TestClient]:
    """A second browser: its own cookie jar."""
    with TestClient(app, headers=SAME_ORIGIN) as c:
        yield c
