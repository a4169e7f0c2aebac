"""A page never says its fields were filled from the 电子营业执照 above fields it left empty
(issue 15, item 10): anonymous, nothing is fetched, so the intro says what happens when it is
and what to do when it is not."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from webtools import REPO, SAME_ORIGIN, TestClient, start

from yijian.web import Settings, create_app

MATTERS = [
    "business-licence-verification",
    "food-business-licence",
    "outdoor-signboard",
    "fire-safety-inspection",
    "tobacco-retail-licence",
    "restaurant-bundle",
]


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    tmp: Path = tmp_path_factory.mktemp("intro")
    with TestClient(
        create_app(Settings(root=REPO, db_path=tmp / "y.db")), headers=SAME_ORIGIN
    ) as c:
        yield c


@pytest.mark.parametrize("matter_id", MATTERS)
def test_the_business_page_does_not_claim_a_prefill_it_did_not_do(client, matter_id) -> None:
    _, first = start(client, matter_id)
    html = client.get(first).text
    assert 'name="business.uscc"' in html and 'value="9' not in html  # nothing was fetched
    assert "以下信息由电子营业执照带出" not in html
    assert "没有带出的，请按营业执照填写" in html
