"""No placeholder word reaches a citizen (issue 15, item 15): every guide of the example root
reads as a real guide, with 权利救济 filled (the matter's own, or the county's default in
rules/org.yaml), and never 示例值, 未填写, 示例材料（待核） or the like."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from starlette.applications import Starlette
from webtools import REPO, SAME_ORIGIN, TestClient

from yijian.load.placeholders import PLACEHOLDER_WORDS
from yijian.registry import Registry
from yijian.web import Settings, create_app

IDS = sorted(p.name for p in (REPO / "matters").iterdir() if p.is_dir())


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    tmp: Path = tmp_path_factory.mktemp("guides")
    app: Starlette = create_app(Settings(root=REPO, db_path=tmp / "yijian.db"))
    with TestClient(app, headers=SAME_ORIGIN) as c:
        yield c


def test_the_examples_have_guides_to_read() -> None:
    snap = Registry(REPO).load()
    assert snap is not None and set(IDS) <= set(snap.matters)


@pytest.mark.parametrize("matter_id", IDS)
def test_no_placeholder_word_in_a_guide(client: TestClient, matter_id: str) -> None:
    r = client.get(f"/matters/{matter_id}")
    assert r.status_code == 200
    shown = [w for w in PLACEHOLDER_WORDS if w in r.text]
    assert not shown, f"/matters/{matter_id} shows {shown}"


@pytest.mark.parametrize("matter_id", [i for i in IDS if not i.endswith("-bundle")])
def test_every_matter_guide_names_its_remedies(client: TestClient, matter_id: str) -> None:
    text = client.get(f"/matters/{matter_id}").text
    section = text.split("监督投诉和权利救济", 1)[1].split("</dl>", 1)[0]
    assert "行政复议" in section and "人民" in section  # a body, not an empty row
