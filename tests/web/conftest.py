"""Fixtures for the web tests: a definitions root (the repository's examples plus a test matter
with a repeat group, an upload and every China widget), an app on a temporary database, and
clients that behave like browsers (same-origin fetch metadata on posts)."""

from __future__ import annotations

import shutil
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest
from starlette.applications import Starlette

with warnings.catch_warnings():  # starlette 1.x nudges towards httpx2 at import; not our concern
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

from yijian.web import Settings, create_app

REPO = Path(__file__).resolve().parents[2]
FIXTURE = Path(__file__).resolve().parent / "fixtures" / "root"
BIRTH = "birth-medical-certificate"
RELIEF = "hardship-relief"
SAME_ORIGIN = {"sec-fetch-site": "same-origin"}
HTMX = {"sec-fetch-site": "same-origin", "hx-request": "true"}

#: Valid answers of the birth example, as its pages post them (cases.yaml, first case).
BIRTH_PAGES: dict[str, dict[str, str]] = {
    "child": {
        "child.name": "李小安",
        "child.sex": "女",
        "child.birth_datetime": "2025-09-28T08:30",
        "child.birth_region-1": "440000",
        "child.birth_region-2": "442000",
        "child.hospital": "中山市博爱医院",
        "child.hospital_certified": "true",
        "child.weight_g": "3200",
        "child.length_cm": "50",
        "child.gestation_weeks": "39",
        "child.has_certificate": "false",
    },
    "parents": {
        "mother.name": "王芳",
        "mother.id_number": "11010519491231002X",
        "father.name": "李明",
        "father.id_number": "440101199001011233",
        "contact.phone": "13800138000",
    },
    "declaration": {"declaration.truthful": "true"},
}


def with_markers(values: dict[str, str], extra_keys: tuple[str, ...] = ()) -> dict[str, object]:
    """Form fields as a page posts them: the values plus one ``_f`` marker per field rendered."""
    keys = dict.fromkeys([k.split("-")[0] for k in values] + list(extra_keys))  # keys have no "-"
    return {**values, "_f": list(keys)}


@pytest.fixture
def web_root(tmp_path: Path) -> Path:
    root = tmp_path / "root"
    # only the example this suite relies on: other examples change while colleagues work
    shutil.copytree(REPO / "matters" / BIRTH, root / "matters" / BIRTH)
    shutil.copytree(FIXTURE / "matters", root / "matters", dirs_exist_ok=True)
    shutil.copytree(REPO / "forms", root / "forms")
    shutil.copytree(REPO / "rules", root / "rules", ignore=shutil.ignore_patterns("__pycache__"))
    return root


@pytest.fixture
def app(web_root: Path, tmp_path: Path) -> Starlette:
    return create_app(Settings(root=web_root, db_path=tmp_path / "var" / "yijian.db"))


@pytest.fixture
def client(app: Starlette) -> Iterator[TestClient]:
    with TestClient(app, headers=SAME_ORIGIN) as c:
        yield c


@pytest.fixture
def other_client(app: Starlette) -> Iterator[TestClient]:
    """A second browser: its own cookie jar."""
    with TestClient(app, headers=SAME_ORIGIN) as c:
        yield c


def start(client: TestClient, matter_id: str) -> tuple[str, str]:
    """Start a draft; returns (draft id, first page url)."""
    r = client.post(f"/apply/{matter_id}", follow_redirects=False)
    assert r.status_code == 303, r.text
    url = r.headers["location"]
    return url.split("/")[2], url
