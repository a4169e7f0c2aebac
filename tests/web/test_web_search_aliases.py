"""The catalog finds a matter by what citizens call it (``aliases`` in the definitions):
出生证, 上户口, 报户口, 开饭店, 身份证, 生孩子 found nothing before (issue 15, item 9)."""

from __future__ import annotations

import pytest
from webtools import REPO

from yijian.registry import Registry
from yijian.web.public.catalog import CatalogIndex


@pytest.fixture(scope="module")
def index() -> CatalogIndex:
    snap = Registry(REPO).load()
    assert snap is not None
    return CatalogIndex.build(snap)


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("出生证", "birth-medical-certificate"),
        ("上户口", "birth-registration"),
        ("报户口", "birth-registration"),
        ("生孩子", "newborn-bundle"),
        ("开饭店", "restaurant-bundle"),
        ("身份证", "birth-registration"),  # 出生登记 gives the newborn's 公民身份号码
    ],
)
def test_aliases_are_searched(index: CatalogIndex, query: str, found: str) -> None:
    assert found in [e.id for e in index.search(query)]
